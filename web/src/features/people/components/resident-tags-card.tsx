import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResidentDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { reasonRule } from '../../../ui/reason-field';
import { useAddResidentTag, useRemoveResidentTag, useTags } from '../hooks/use-people';
import { TagChips } from './tag-chips';
import { TagSelect } from './tag-select';

type Props = { resident: ResidentDetail; canWrite: boolean };

/** A resident's tags: hand-set ones can be added (with a reason) and removed; derived ones are computed. */
export function ResidentTagsCard({ resident, canWrite }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const tags = useTags();
  const remove = useRemoveResidentTag();
  const [isAdding, setAdding] = useState(false);
  const derivedIds = new Set((tags.data?.items ?? []).filter((tag) => tag.rule !== null).map((tag) => tag.id));
  const isWritable = canWrite && resident.status === 'active';

  return (
    <Card
      size="small"
      title={t('people.tags')}
      data-testid="resident-tags"
      extra={
        isWritable ? (
          <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('people.tagAdd')}
          </Button>
        ) : null
      }
    >
      <TagChips
        tags={resident.tags}
        derivedIds={derivedIds}
        emptyText={t('people.noTags')}
        onRemove={
          isWritable
            ? (tag) =>
                modal.confirm({
                  title: t('people.tagRemoveConfirm', { tag: tag.name }),
                  okText: t('common.remove'),
                  okButtonProps: { danger: true },
                  cancelText: t('common.cancel'),
                  onOk: () =>
                    remove.mutateAsync({ id: resident.id, tagId: tag.id }).then(
                      () => message.success(t('people.tagRemoved')),
                      (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
                    ),
                })
            : undefined
        }
      />
      {isWritable ? <AddTagModal resident={resident} open={isAdding} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}

type AddValues = { tagId: number; reason: string };

function AddTagModal({ resident, open, onClose }: { resident: ResidentDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const add = useAddResidentTag();

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    try {
      await add.mutateAsync({ id: resident.id, body: { tagId: values.tagId, reason: values.reason.trim() } });
      message.success(t('people.tagAdded'));
      form.resetFields();
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['tagId', 'reason'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('people.tagAddTitle', { name: resident.name })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Form<AddValues> form={form} layout="vertical" data-testid="add-tag-form">
        <Form.Item
          name="tagId"
          label={t('people.tag')}
          extra={t('people.tagManualHelp')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('people.tag') }) }]}
        >
          <TagSelect
            isManualOnly
            valueOf={(tag) => tag.id}
            excludeIds={resident.tags.map((tag) => tag.id)}
            placeholder={t('people.tagPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('people.tagReason')} rules={[reasonRule(t('pii.reasonTooShort'))]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('people.tagReasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
