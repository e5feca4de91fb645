import { Form } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../api-types';
import { ROLE_NODE_TYPES } from '../../../roles';
import { nodeTypeLabel } from '../../../ui/labels';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { RoleSelect } from './user-status';

type Props = {
  /** The fields' name prefix as the enclosing Form.Item sees it (relative inside a Form.List). */
  name: (string | number)[];
  /** The same prefix from the form's root, to watch the chosen role. */
  path: (string | number)[];
};

/** A post's role and node; the node search offers only the node types the role may be bound to. */
export function PostFields({ name, path }: Props) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const role: Role | undefined = Form.useWatch([...path, 'role'], form);
  const types = role ? ROLE_NODE_TYPES[role] : undefined;

  // a node picked for the previous role may not suit the new one
  const previous = useRef(role);
  useEffect(() => {
    if (previous.current !== undefined && previous.current !== role) form.setFieldValue([...path, 'nodeId'], null);
    previous.current = role;
  }, [role, form, path]);

  return (
    <div className="linli-post-fields">
      <Form.Item
        name={[...name, 'role']}
        rules={[{ required: true, message: t('common.selectRequired', { field: t('users.postRole') }) }]}
      >
        <RoleSelect placeholder={t('users.postRole')} style={{ width: 170 }} />
      </Form.Item>
      <Form.Item name={[...name, 'nodeId']}>
        <NodeSearchSelect
          allowClear
          types={types}
          style={{ width: 260 }}
          placeholder={
            types
              ? t('users.postNodeHelp', { types: types.map((type) => nodeTypeLabel(t, type)).join('、') })
              : t('users.postNode')
          }
        />
      </Form.Item>
    </div>
  );
}
