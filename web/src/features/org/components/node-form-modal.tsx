import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeType, OrgNodeDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { nodeTypeLabel } from '../../../ui/labels';
import { useCreateOrgNode, useUpdateOrgNode } from '../hooks/use-org';
import { COUNTY_CODE, childTypesOf, isCodeRequired, NODE_CODE, parseBoundary } from '../utils/child-types';

export type NodeFormMode =
  | { kind: 'root' }
  | { kind: 'create'; parent: OrgNodeDetail }
  | { kind: 'edit'; node: OrgNodeDetail };

type Props = {
  mode: NodeFormMode | null;
  onClose: () => void;
  onSaved: (node: OrgNodeDetail) => void;
};

type Values = { type: NodeType; name: string; code?: string; boundary?: string };

const FIELDS = ['type', 'name', 'code', 'boundary'] as const;

function initialValues(mode: NodeFormMode): Partial<Values> {
  if (mode.kind === 'edit') {
    const { node } = mode;
    return {
      type: node.type,
      name: node.name,
      code: node.code ?? '',
      boundary: node.boundary ? JSON.stringify(node.boundary, null, 2) : '',
    };
  }
  const types = mode.kind === 'root' ? ROOT_TYPES : childTypesOf(mode.parent.type);
  return types.length === 1 ? { type: types[0] } : {};
}

/** A county is the only type without a parent. */
const ROOT_TYPES: readonly NodeType[] = ['county'];

/** Adds a child under a node, or edits a node's name, code and boundary. */
export function NodeFormModal({ mode, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateOrgNode();
  const update = useUpdateOrgNode();
  const type = Form.useWatch('type', form);

  useEffect(() => {
    if (mode) {
      form.resetFields();
      form.setFieldsValue(initialValues(mode));
    }
  }, [mode, form]);

  if (!mode) return null;
  const isCreate = mode.kind !== 'edit';
  const types =
    mode.kind === 'root' ? ROOT_TYPES : mode.kind === 'create' ? childTypesOf(mode.parent.type) : [mode.node.type];
  const codeRequired = type !== undefined && isCodeRequired(type);

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const values = valid;
    const boundary = parseBoundary(values.boundary);
    if (!boundary.ok) return; // the field validator already says why
    const code = values.code?.trim() ?? '';
    try {
      const saved =
        mode.kind !== 'edit'
          ? await create.mutateAsync({
              parentId: mode.kind === 'create' ? mode.parent.id : null,
              type: values.type,
              name: values.name.trim(),
              ...(code ? { code } : {}),
              ...(boundary.value ? { boundary: boundary.value } : {}),
            })
          : await update.mutateAsync({
              id: mode.node.id,
              body: {
                name: values.name.trim(),
                ...(code !== (mode.node.code ?? '') && code ? { code } : {}),
                ...(mode.node.boundary || boundary.value ? { boundary: boundary.value } : {}),
              },
            });
      message.success(isCreate ? t('org.created', { name: saved.name }) : t('org.updated'));
      onSaved(saved);
    } catch (error) {
      if (!showFieldError(form, error, FIELDS)) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open
      title={
        mode.kind === 'root'
          ? t('org.addRoot')
          : mode.kind === 'create'
            ? t('org.addChildTitle', { parent: mode.parent.name })
            : t('org.editTitle', { name: mode.node.name })
      }
      okText={isCreate ? t('common.create') : t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={560}
    >
      <Form<Values> form={form} layout="vertical" data-testid="node-form">
        <Form.Item
          name="type"
          label={t('org.type')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('org.type') }) }]}
        >
          <Select<NodeType>
            disabled={!isCreate}
            options={types.map((value) => ({ value, label: nodeTypeLabel(t, value) }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('org.name') }) },
            { max: 100 },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('org.code')}
          extra={codeRequired ? t('org.codeCounty') : undefined}
          rules={[
            { required: codeRequired, whitespace: true, message: t('common.required', { field: t('org.code') }) },
            codeRequired
              ? { pattern: COUNTY_CODE, message: t('org.codeInvalid') }
              : { pattern: NODE_CODE, message: t('org.codeChars') },
          ]}
        >
          <Input maxLength={codeRequired ? 6 : 40} placeholder={codeRequired ? '370323' : t('common.optional')} />
        </Form.Item>
        <Form.Item
          name="boundary"
          label={t('org.boundaryLabel')}
          extra={t('org.boundaryHelp')}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                parseBoundary(value).ok ? Promise.resolve() : Promise.reject(new Error(t('org.boundaryInvalid'))),
            },
          ]}
        >
          <Input.TextArea
            rows={5}
            spellCheck={false}
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }}
            placeholder='{"type":"Polygon","coordinates":[[[118.0,36.0],[118.1,36.0],[118.1,36.1],[118.0,36.0]]]}'
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
