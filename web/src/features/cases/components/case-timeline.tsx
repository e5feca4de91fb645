import { Image, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseEvent, CaseStageInfo } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { isEventAction } from '../utils/case-labels';

const COLOR: Record<string, string> = {
  supervise: 'red',
  remind: 'orange',
  escalate: 'orange',
  return: 'orange',
  whistle_return: 'orange',
  verify_fail: 'orange',
  verify_pass: 'green',
  handle: 'green',
  whistle_report: 'green',
  cancel: 'gray',
  merge: 'gray',
};

/** 处置过程: every step of the case, newest last, with its note, stage change and photos. */
export function CaseTimeline({ events, stages }: { events: CaseEvent[]; stages: readonly CaseStageInfo[] }) {
  const { t } = useTranslation();
  const stageName = (code: string | null) => stages.find((s) => s.code === code)?.name ?? code;
  return (
    <Timeline
      data-testid="case-timeline"
      items={events.map((e) => ({
        key: e.id,
        color: COLOR[e.action] ?? 'blue',
        content: (
          <div data-testid="timeline-event" data-action={e.action}>
            <Space size={6} wrap>
              <Typography.Text strong>
                {isEventAction(e.action) ? t(`cases.events.${e.action}`) : e.action}
              </Typography.Text>
              {e.actorName ? <Typography.Text>{e.actorName}</Typography.Text> : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(e.at)}
              </Typography.Text>
              {e.fromStage && e.toStage && e.fromStage !== e.toStage ? (
                <Tag>
                  {stageName(e.fromStage)} → {stageName(e.toStage)}
                </Tag>
              ) : null}
              {e.public ? null : <Tag color="purple">{t('cases.private')}</Tag>}
            </Space>
            {e.note ? (
              <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
                {e.note}
              </Typography.Paragraph>
            ) : null}
            {e.files.length > 0 ? (
              <div className="linli-timeline-files">
                <Image.PreviewGroup>
                  <Space wrap size={6}>
                    {e.files.map((f) =>
                      f.thumbUrl ? (
                        <Image
                          key={f.id}
                          width={64}
                          height={64}
                          style={{ objectFit: 'cover' }}
                          src={f.thumbUrl}
                          preview={{ src: f.url }}
                          alt={f.name}
                        />
                      ) : (
                        <a key={f.id} href={f.url} download={f.name}>
                          {f.name}
                        </a>
                      ),
                    )}
                  </Space>
                </Image.PreviewGroup>
              </div>
            ) : null}
          </div>
        ),
      }))}
    />
  );
}
