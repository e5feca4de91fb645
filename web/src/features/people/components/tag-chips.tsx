import { LockOutlined, SyncOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ResidentSummary } from '../../../api-types';
import { tagColor } from '../utils/tag-style';

type TagRef = ResidentSummary['tags'][number];

type Props = {
  tags: readonly TagRef[];
  /** Ids of tags computed by a rule, labelled as such. */
  derivedIds?: ReadonlySet<number>;
  /** Called to remove a hand-set tag; derived tags are never removable. */
  onRemove?: (tag: TagRef) => void;
  emptyText?: string;
};

/** A resident's tags in their colours; sensitive ones carry a lock, derived ones say they are computed. */
export function TagChips({ tags, derivedIds, onRemove, emptyText }: Props) {
  const { t } = useTranslation();
  if (tags.length === 0) {
    return emptyText ? <Typography.Text type="secondary">{emptyText}</Typography.Text> : null;
  }
  return (
    <Space size={[4, 4]} wrap>
      {tags.map((tag) => {
        const isDerived = derivedIds?.has(tag.id) ?? false;
        const hints = [tag.sensitive ? t('tags.sensitiveHint') : null, isDerived ? t('tags.derivedHint') : null]
          .filter(Boolean)
          .join(' ');
        const chip = (
          <Tag
            key={tag.id}
            color={tagColor(tag.code).preset}
            icon={tag.sensitive ? <LockOutlined aria-label={t('tags.sensitive')} /> : undefined}
            className={tag.sensitive ? 'linli-tag-sensitive' : undefined}
            closable={Boolean(onRemove) && !isDerived}
            onClose={(event) => {
              // the caller confirms first; the chip stays until the server has removed the tag
              event.preventDefault();
              onRemove?.(tag);
            }}
            data-testid={`tag-${tag.code}`}
          >
            {tag.name}
            {isDerived ? (
              <span className="linli-tag-derived">
                <SyncOutlined /> {t('tags.derived')}
              </span>
            ) : null}
          </Tag>
        );
        return hints ? (
          <Tooltip key={tag.id} title={hints}>
            {chip}
          </Tooltip>
        ) : (
          chip
        );
      })}
    </Space>
  );
}
