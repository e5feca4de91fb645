import { App, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgNodeDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { nodeTypeLabel } from '../../../ui/labels';
import { useMoveOrgNode } from '../hooks/use-org';
import { parentTypesOf } from '../utils/child-types';
import { NodeSearchSelect } from './node-search-select';

type Props = {
  node: OrgNodeDetail | null;
  onClose: () => void;
  onMoved: (node: OrgNodeDetail) => void;
};

type Values = { parentId: number };

export function MoveNodeModal({ node, onClose, onMoved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const move = useMoveOrgNode();
  if (!node) return null;
  const parentTypes = parentTypesOf(node.type);

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const { parentId } = valid;
    try {
      const moved = await move.mutateAsync({ id: node.id, parentId });
      message.success(t('org.moved'));
      form.resetFields();
      onMoved(moved);
    } catch (error) {
      if (!showFieldError(form, error, ['parentId'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open
      title={t('org.moveTitle', { name: node.name })}
      okText={t('org.move')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={move.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical">
        <Form.Item
          name="parentId"
          label={t('org.newParent')}
          extra={t('org.newParentHelp', { types: parentTypes.map((type) => nodeTypeLabel(t, type)).join('、') })}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('org.newParent') }) }]}
        >
          <NodeSearchSelect types={parentTypes} excludeId={node.parentId ?? undefined} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
