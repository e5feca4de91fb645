import { Alert, App, Button, Input, InputNumber, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseStageInfo } from '../../../api-types';
import { useCaseStages } from '../../cases/hooks/use-cases';
import { useUpdateStage } from '../hooks/use-cases-settings';

type Draft = { nameZh: string; nameEn: string; sort: number };

const TYPE_COLOR: Record<CaseStageInfo['type'], string> = {
  open: 'gold',
  in_progress: 'blue',
  fixed: 'green',
  closed: 'default',
};

/** 阶段名称: each stage's names and order; its code and type (what the workflow and Open311 know) are fixed. */
export function StagesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const stages = useCaseStages();
  const update = useUpdateStage();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});

  const draftOf = (s: CaseStageInfo): Draft => drafts[s.code] ?? { nameZh: s.nameZh, nameEn: s.nameEn, sort: s.sort };
  const change = (s: CaseStageInfo, patch: Partial<Draft>) =>
    setDrafts((d) => ({ ...d, [s.code]: { ...draftOf(s), ...patch } }));
  const isDirty = (s: CaseStageInfo) => {
    const d = drafts[s.code];
    return !!d && (d.nameZh !== s.nameZh || d.nameEn !== s.nameEn || d.sort !== s.sort);
  };
  const save = async (s: CaseStageInfo) => {
    const d = draftOf(s);
    try {
      await update.mutateAsync({
        code: s.code,
        body: { nameZh: d.nameZh.trim(), nameEn: d.nameEn.trim(), sort: d.sort },
      });
      setDrafts(({ [s.code]: _, ...rest }) => rest);
      message.success(t('common.saved'));
    } catch (e) {
      message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  const columns: ColumnsType<CaseStageInfo> = [
    {
      title: t('casesSettings.stages.code'),
      dataIndex: 'code',
      width: 120,
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    {
      title: t('casesSettings.stages.type'),
      dataIndex: 'type',
      width: 110,
      render: (type: CaseStageInfo['type']) => (
        <Tag color={TYPE_COLOR[type]}>{t(`casesSettings.stages.types.${type}`)}</Tag>
      ),
    },
    {
      title: t('casesSettings.stages.nameZh'),
      key: 'nameZh',
      render: (_, s) => (
        <Input
          value={draftOf(s).nameZh}
          maxLength={20}
          aria-label={`${s.code} ${t('casesSettings.stages.nameZh')}`}
          onChange={(e) => change(s, { nameZh: e.target.value })}
        />
      ),
    },
    {
      title: t('casesSettings.stages.nameEn'),
      key: 'nameEn',
      render: (_, s) => (
        <Input
          value={draftOf(s).nameEn}
          maxLength={40}
          aria-label={`${s.code} ${t('casesSettings.stages.nameEn')}`}
          onChange={(e) => change(s, { nameEn: e.target.value })}
        />
      ),
    },
    {
      title: t('casesSettings.stages.sort'),
      key: 'sort',
      width: 110,
      render: (_, s) => (
        <InputNumber
          value={draftOf(s).sort}
          min={0}
          max={100000}
          aria-label={`${s.code} ${t('casesSettings.stages.sort')}`}
          onChange={(v) => change(s, { sort: v ?? 0 })}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, s) => (
        <Button
          type="link"
          size="small"
          disabled={!isDirty(s) || !draftOf(s).nameZh.trim() || !draftOf(s).nameEn.trim()}
          loading={update.isPending && update.variables?.code === s.code}
          onClick={() => save(s)}
        >
          {t('common.save')}
        </Button>
      ),
    },
  ];

  if (stages.isError) return <Alert type="error" message={stages.error.message} />;
  return (
    <>
      <Typography.Paragraph type="secondary">{t('casesSettings.stages.hint')}</Typography.Paragraph>
      <Table<CaseStageInfo>
        rowKey="code"
        size="small"
        loading={stages.isLoading}
        columns={columns}
        dataSource={stages.data ?? []}
        pagination={false}
        data-testid="stages-table"
      />
    </>
  );
}
