import { App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { VisitTaskListItem } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useAssignVisitTask, useWithdrawVisitTask } from '../hooks/use-visits';
import { AssigneeSelect } from './assignee-select';

type TaskRef = Pick<VisitTaskListItem, 'id' | 'nodeId' | 'assigneeId' | 'assigneeName' | 'reason' | 'placeLabel'>;
type Props = { task: TaskRef | null; onClose: () => void };

function TaskLine({ task }: { task: TaskRef }) {
  return (
    <Typography.Paragraph type="secondary">
      {task.reason} · {task.placeLabel}
    </Typography.Paragraph>
  );
}

/** 改派: gives an open task to another account of its community (visits.manage). */
export function ReassignModal({ task, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ assigneeId: number }>();
  const assign = useAssignVisitTask();
  const submit = async () => {
    if (!task) return;
    const values = await validValues(form);
    if (!values) return;
    assign.mutate(
      { id: task.id, assigneeId: values.assigneeId },
      {
        onSuccess: () => {
          message.success(t('visits.assign.done'));
          onClose();
        },
        onError: (error) => {
          if (!showFieldError(form, error, ['assigneeId'])) message.error(error.message);
        },
      },
    );
  };
  return (
    <Modal
      open={task !== null}
      title={t('visits.assign.title')}
      okText={t('visits.actions.assign')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={assign.isPending}
      destroyOnHidden
    >
      {task ? (
        <Form form={form} layout="vertical" data-testid="visit-assign-form">
          <TaskLine task={task} />
          <Typography.Paragraph>
            {t('visits.assign.current', { name: task.assigneeName ?? t('visits.unassigned') })}
          </Typography.Paragraph>
          <Form.Item
            name="assigneeId"
            label={t('visits.assign.to')}
            rules={[{ required: true, message: t('visits.assign.required') }]}
          >
            <AssigneeSelect nodeId={task.nodeId} excludeId={task.assigneeId} data-testid="visit-assignee" />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}

/** 撤销: withdraws an open task by hand, with a note saying why (visits.manage). */
export function WithdrawModal({ task, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const withdraw = useWithdrawVisitTask();
  const submit = async () => {
    if (!task) return;
    const values = await validValues(form);
    if (!values) return;
    withdraw.mutate(
      { id: task.id, note: values.note.trim() },
      {
        onSuccess: () => {
          message.success(t('visits.withdraw.done'));
          onClose();
        },
        onError: (error) => {
          if (!showFieldError(form, error, ['note'])) message.error(error.message);
        },
      },
    );
  };
  return (
    <Modal
      open={task !== null}
      title={t('visits.withdraw.title')}
      okText={t('visits.actions.withdraw')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={withdraw.isPending}
      destroyOnHidden
    >
      {task ? (
        <Form form={form} layout="vertical" data-testid="visit-withdraw-form">
          <TaskLine task={task} />
          <Form.Item
            name="note"
            label={t('visits.withdraw.note')}
            rules={[
              { required: true, whitespace: true, message: t('visits.withdraw.noteRequired') },
              { min: 2, max: 200, message: t('visits.withdraw.noteLength') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} placeholder={t('visits.withdraw.placeholder')} />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}
