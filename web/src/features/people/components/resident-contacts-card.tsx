import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Form, Input, List, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResidentDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useAddContact, useRemoveContact } from '../hooks/use-people';

type Props = { resident: ResidentDetail; canWrite: boolean };

/** Family and emergency contacts; numbers are stored sealed and shown masked. */
export function ResidentContactsCard({ resident, canWrite }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const remove = useRemoveContact();
  const [isAdding, setAdding] = useState(false);

  return (
    <Card
      size="small"
      title={t('people.contacts')}
      data-testid="resident-contacts"
      extra={
        canWrite ? (
          <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('people.contactAdd')}
          </Button>
        ) : null
      }
    >
      {resident.contacts.length === 0 ? (
        <Typography.Text type="secondary">{t('people.noContacts')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={resident.contacts}
          renderItem={(c) => (
            <List.Item
              actions={
                canWrite
                  ? [
                      <Button
                        key="remove"
                        size="small"
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.remove')}
                        onClick={() =>
                          modal.confirm({
                            title: t('people.contactRemoveConfirm', { name: c.name }),
                            okText: t('common.remove'),
                            okButtonProps: { danger: true },
                            cancelText: t('common.cancel'),
                            onOk: () =>
                              remove.mutateAsync({ id: resident.id, contactId: c.id }).then(
                                () => message.success(t('people.contactRemoved')),
                                (error: unknown) =>
                                  message.error(error instanceof Error ? error.message : t('errors.unknown')),
                              ),
                          })
                        }
                      />,
                    ]
                  : []
              }
            >
              <span>
                <Typography.Text strong>{c.name}</Typography.Text>{' '}
                <Typography.Text type="secondary">{c.relation}</Typography.Text>
              </span>
              <span className="linli-mono">{c.phoneMasked}</span>
            </List.Item>
          )}
        />
      )}
      {canWrite ? <AddContactModal resident={resident} open={isAdding} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}

type Values = { name: string; relation: string; phone: string };

function AddContactModal({
  resident,
  open,
  onClose,
}: {
  resident: ResidentDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const add = useAddContact();
  const suggestions = t('people.contactRelations').split('、');

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    try {
      await add.mutateAsync({
        id: resident.id,
        body: { name: values.name.trim(), relation: values.relation.trim(), phone: values.phone.trim() },
      });
      message.success(t('people.contactAdded'));
      form.resetFields();
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['name', 'relation', 'phone'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });

  return (
    <Modal
      open={open}
      title={t('people.contactAdd')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" data-testid="add-contact-form">
        <Form.Item name="name" label={t('people.contactName')} rules={[required(t('people.contactName'))]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="relation" label={t('people.contactRelation')} rules={[required(t('people.contactRelation'))]}>
          <AutoComplete options={suggestions.map((s) => ({ value: s }))} />
        </Form.Item>
        <Form.Item name="phone" label={t('people.phone')} rules={[required(t('people.phone'))]}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
