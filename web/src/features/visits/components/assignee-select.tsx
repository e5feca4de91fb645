import { Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roleLabel } from '../../../ui/labels';
import { useDebounced } from '../../../ui/use-debounced';
import { useOrgNode } from '../../org/hooks/use-org';
import { useAssignableUsers } from '../hooks/use-visits';

type Props = {
  /** The task's place: accounts are listed from its community (or village) down. */
  nodeId: number;
  value?: number | null;
  onChange?: (value: number | null) => void;
  /** Leave out the current assignee. */
  excludeId?: number | null;
  id?: string;
  'data-testid'?: string;
};

const AREA_TYPES = new Set(['community', 'village']);

/**
 * Picks the account a visit task goes to: the active accounts with a post in the task's community (GET /api/users
 * with that node), searchable by name. Whether one may take the task there is the server's to say
 * (VISIT_ASSIGNEE_INVALID, shown on the field).
 */
export function AssigneeSelect({ nodeId, value, onChange, excludeId, id, ...rest }: Props) {
  const { t } = useTranslation();
  const node = useOrgNode(nodeId);
  const [term, setTerm] = useState('');
  const q = useDebounced(term, 250).trim();
  // the community above the task's place, else the place itself (a task filed at a community or above)
  const areaId = useMemo(() => {
    if (!node.data) return null;
    if (AREA_TYPES.has(node.data.type)) return node.data.id;
    const area = [...node.data.ancestors].reverse().find((a) => AREA_TYPES.has(a.type));
    return area?.id ?? node.data.id;
  }, [node.data]);
  const users = useAssignableUsers(areaId, q);
  const options = (users.data?.items ?? [])
    .filter((u) => !u.disabled && u.id !== excludeId)
    .map((u) => ({
      value: u.id,
      label: u.displayName,
      searchText: `${u.displayName} ${u.username}`,
      roles: [...new Set(u.posts.map((p) => roleLabel(t, p.role)))].join('、'),
    }));
  return (
    <Select<number>
      id={id}
      data-testid={rest['data-testid']}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      loading={node.isLoading || users.isFetching}
      placeholder={t('visits.assign.pick')}
      notFoundContent={t('visits.assign.noUsers')}
      options={options}
      optionRender={(option) => (
        <span>
          {option.data.label}
          {option.data.roles ? (
            <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
              {option.data.roles}
            </Typography.Text>
          ) : null}
        </span>
      )}
    />
  );
}
