import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, CaseWhistle } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { reasonRule } from '../../../ui/reason-field';
import type { WhistleAction } from '../api/cases-api';
import { useWhistleAction } from '../hooks/use-cases';
import { type WhistleValues as Values, whistleBodyOf } from '../utils/case-bodies';
import { PhotoPicker } from './photo-picker';

/** A department member's answer to a whistle: 报到 (accept), 反馈 (report back) or 退回 (return). */
export function WhistleDialog({
  detail,
  whistle,
  action,
  onClose,
}: {
  detail: CaseDetail;
  whistle: CaseWhistle;
  action: WhistleAction;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const act = useWhistleAction();
  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    act.mutate(
      { id: detail.id, whistleId: whistle.id, action, body: whistleBodyOf(action, values) },
      {
        onSuccess: () => {
          message.success(
            t(`cases.department.${action === 'accept' ? 'accepted' : action === 'report' ? 'reported' : 'returned'}`),
          );
          onClose();
        },
        onError: (error) => {
          if (!showFieldError(form, error, ['note', 'reason'])) message.error(error.message);
        },
      },
    );
  };
  return (
    <Modal
      open
      title={`${t(`cases.department.${action}`)} · ${whistle.departmentName} · ${detail.caseNo}`}
      okText={t(`cases.department.${action}`)}
      okButtonProps={{ danger: action === 'return' }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={act.isPending}
      destroyOnHidden
      data-testid={`whistle-dialog-${action}`}
    >
      <Form<Values> form={form} layout="vertical">
        {action === 'return' ? (
          <Form.Item
            name="reason"
            required
            label={t('cases.dialog.reason')}
            extra={t('cases.dialog.reasonHelp')}
            rules={[reasonRule(t('cases.dialog.reasonTooShort'))]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="action-reason" />
          </Form.Item>
        ) : (
          <Form.Item
            name="note"
            required={action === 'report'}
            label={t('cases.dialog.note')}
            extra={action === 'report' ? t('cases.department.reportHelp') : undefined}
            rules={action === 'report' ? [reasonRule(t('cases.dialog.noteRequired'))] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="action-note" />
          </Form.Item>
        )}
        {action === 'report' ? (
          <Form.Item name="photos" label={t('cases.dialog.photos')} extra={t('cases.dialog.photosHelp')}>
            <PhotoPicker />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
