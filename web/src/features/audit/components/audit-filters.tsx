import { Select, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../../i18n';
import { useDebounced } from '../../../ui/use-debounced';
import { useUsers } from '../../users/hooks/use-users';
import { ACTION_LABELS, actionLabel, TARGET_LABELS, targetLabel } from '../utils/audit-labels';

type PickerProps = { value?: string; onChange?: (value: string | undefined) => void; id?: string };

/** An action by its name in the reader's language (the filter sends the code). */
export function ActionPicker({ value, onChange, id }: PickerProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Select
      id={id}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('audit.action')}
      style={{ width: 190 }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={Object.keys(ACTION_LABELS).map((code) => ({ value: code, label: actionLabel(code, lang) }))}
      data-testid="audit-action-picker"
    />
  );
}

export function TargetTypePicker({ value, onChange, id }: PickerProps) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Select
      id={id}
      allowClear
      placeholder={t('audit.targetType')}
      style={{ width: 140 }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={Object.keys(TARGET_LABELS).map((type) => ({ value: type, label: targetLabel(type, lang) }))}
    />
  );
}

/** An account of the reader's area, by name or username (the filter sends its id). */
export function UserPicker({ value, onChange, id }: PickerProps) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const q = useDebounced(term, 250);
  const users = useUsers({ q: q || undefined, page: 1, pageSize: 20 });
  return (
    <Select
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setTerm }}
      placeholder={t('audit.actor')}
      style={{ width: 160 }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      notFoundContent={users.isFetching ? <Spin size="small" /> : null}
      options={(users.data?.items ?? []).map((u) => ({
        value: String(u.id),
        label: `${u.displayName}（${u.username}）`,
      }))}
      data-testid="audit-user-picker"
    />
  );
}
