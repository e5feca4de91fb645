import { Alert, App, Button, Checkbox, Form, Input, Space, Table, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Preferences } from '../../../api-types';
import { usePreferences, useSavePreferences } from '../hooks/use-inbox';

const key = (channelId: number, kind: string) => `${channelId}:${kind}`;

/** 通知设置: which kinds reach the user through which configured channel, and quiet hours. */
export function PreferencesForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const prefs = usePreferences();
  const save = useSavePreferences();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [quiet, setQuiet] = useState<[Dayjs, Dayjs] | null>(null);
  const [openId, setOpenId] = useState('');

  useEffect(() => {
    const p = prefs.data;
    if (!p) return;
    setChosen(new Set(p.subscriptions.map((s) => key(s.channelId, s.kind))));
    setQuiet(p.quietHours ? [dayjs(p.quietHours.start, 'HH:mm'), dayjs(p.quietHours.end, 'HH:mm')] : null);
    setOpenId(p.wechatOpenId ?? '');
  }, [prefs.data]);

  if (!prefs.data) return null;
  const p: Preferences = prefs.data;
  const toggle = (k: string, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(k);
      else next.delete(k);
      return next;
    });
  const submit = () => {
    const subscriptions = [...chosen].map((k) => {
      const [channelId, kind] = [Number(k.slice(0, k.indexOf(':'))), k.slice(k.indexOf(':') + 1)];
      return { channelId, kind };
    });
    save.mutate(
      {
        subscriptions,
        quietHours: quiet ? { start: quiet[0].format('HH:mm'), end: quiet[1].format('HH:mm') } : null,
        ...(p.channels.some((c) => c.type === 'wechat') ? { wechatOpenId: openId.trim() || null } : {}),
      },
      {
        onSuccess: () => message.success(t('inbox.saved')),
        onError: (e) => message.error(e instanceof Error ? e.message : t('errors.unknown')),
      },
    );
  };

  return (
    <Form layout="vertical" data-testid="inbox-preferences">
      <Typography.Paragraph type="secondary">{t('inbox.settingsHint')}</Typography.Paragraph>
      {p.channels.length === 0 ? (
        <Alert type="info" showIcon message={t('inbox.noChannels')} style={{ marginBottom: 16 }} />
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey="kind"
          style={{ marginBottom: 16 }}
          dataSource={p.kinds}
          columns={[
            { title: t('inbox.kind'), dataIndex: 'label' },
            ...p.channels.map((c) => ({
              title: `${c.name}（${t(`inbox.channelTypes.${c.type}`)}）`,
              key: String(c.id),
              render: (_: unknown, k: Preferences['kinds'][number]) => (
                <Checkbox
                  checked={chosen.has(key(c.id, k.kind))}
                  onChange={(e) => toggle(key(c.id, k.kind), e.target.checked)}
                />
              ),
            })),
          ]}
        />
      )}
      <Form.Item label={t('inbox.quietHours')} extra={t('inbox.quietHoursHint')}>
        <TimePicker.RangePicker
          format="HH:mm"
          order={false}
          value={quiet}
          onChange={(v) => setQuiet(v && v[0] && v[1] ? [v[0], v[1]] : null)}
          placeholder={[t('inbox.quietStart'), t('inbox.quietEnd')]}
        />
      </Form.Item>
      {p.channels.some((c) => c.type === 'wechat') ? (
        <Form.Item label={t('inbox.wechatOpenId')}>
          <Input value={openId} maxLength={64} onChange={(e) => setOpenId(e.target.value)} style={{ maxWidth: 360 }} />
        </Form.Item>
      ) : null}
      <Space>
        <Button type="primary" loading={save.isPending} onClick={submit}>
          {t('inbox.save')}
        </Button>
      </Space>
    </Form>
  );
}
