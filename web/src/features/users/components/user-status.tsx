import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role, UserSummary } from '../../../api-types';
import { ROLES, roleLabel } from '../../../ui/labels';

export function isLocked(user: Pick<UserSummary, 'lockedUntil'>, now = Date.now()): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now;
}

export function UserStatusTag({ user }: { user: Pick<UserSummary, 'disabled' | 'lockedUntil'> }) {
  const { t } = useTranslation();
  if (user.disabled) return <Tag color="default">{t('users.disabled')}</Tag>;
  if (isLocked(user)) return <Tag color="red">{t('users.locked')}</Tag>;
  return <Tag color="green">{t('users.active')}</Tag>;
}

type RoleSelectProps = {
  value?: Role | null;
  onChange?: (role: Role | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
};

export function RoleSelect({ value, onChange, placeholder, allowClear, style, id }: RoleSelectProps) {
  const { t } = useTranslation();
  return (
    <Select<Role>
      id={id}
      value={value ?? undefined}
      onChange={(role) => onChange?.(role ?? null)}
      placeholder={placeholder}
      allowClear={allowClear}
      style={style}
      options={ROLES.map((role) => ({ value: role, label: roleLabel(t, role) }))}
    />
  );
}
