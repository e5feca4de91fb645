import { useQuery } from '@tanstack/react-query';
import { App, Checkbox, DatePicker, Form, Input, List, Modal, Radio, Rate, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseAction, CaseDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { reasonRule } from '../../../ui/reason-field';
import { formatTime } from '../../../ui/time';
import { useDebounced } from '../../../ui/use-debounced';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { type ConsoleAction, casesApi, type SimilarQuery } from '../api/cases-api';
import { useCaseAction, useDepartments, useRateCase, useSimilarCases } from '../hooks/use-cases';
import { bodyOf, type ActionValues as Values } from '../utils/case-bodies';
import { PhotoPicker } from './photo-picker';

/** Form fields whose server errors land on the field itself. */
const FIELDS = [
  'note',
  'reason',
  'nodeId',
  'departmentId',
  'departmentIds',
  'dueAt',
  'until',
  'intoId',
  'rating',
  'comment',
];

function MergeTarget({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const chosen = Form.useWatch('intoId', form);
  const [term, setTerm] = useState('');
  const debounced = useDebounced(term.trim(), 250);
  const where: Omit<SimilarQuery, 'categoryId' | 'exceptId'> =
    detail.place.lat !== null && detail.place.lng !== null
      ? { lat: detail.place.lat, lng: detail.place.lng }
      : detail.place.houseId !== null
        ? { houseId: detail.place.houseId }
        : { nodeId: detail.place.nodeId };
  const similar = useSimilarCases({ categoryId: detail.categoryId, exceptId: detail.id, ...where });
  const found = useQuery({
    queryKey: ['cases', 'merge-search', debounced],
    queryFn: ({ signal }) => casesApi.list({ view: 'board', q: debounced, limit: 10 }, signal),
    enabled: debounced.length > 0,
  });
  const candidates = similar.data ?? [];
  return (
    <>
      <Form.Item label={t('cases.dialog.mergeInto')} extra={t('cases.dialog.mergeHelp')} required>
        {candidates.length === 0 && !similar.isLoading ? (
          <Typography.Text type="secondary">{t('cases.dialog.mergeNone')}</Typography.Text>
        ) : (
          <List
            size="small"
            bordered
            loading={similar.isLoading}
            dataSource={candidates}
            data-testid="merge-candidates"
            renderItem={(c) => (
              <List.Item style={{ cursor: 'pointer' }} onClick={() => form.setFieldsValue({ intoId: c.id })}>
                <Radio checked={chosen === c.id}>
                  <Space orientation="vertical" size={0}>
                    <span>
                      {c.caseNo} · {c.title} · {c.stageName}
                    </span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {c.place.nodeLabel} · {formatTime(c.createdAt)}
                    </Typography.Text>
                  </Space>
                </Radio>
              </List.Item>
            )}
          />
        )}
      </Form.Item>
      <Form.Item
        name="intoId"
        label={t('cases.dialog.mergeByNo')}
        rules={[{ required: true, message: t('common.selectRequired', { field: t('cases.dialog.mergeInto') }) }]}
      >
        <Select<number>
          showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
          loading={found.isFetching}
          options={[
            ...candidates,
            ...(found.data?.items ?? []).filter((c) => c.id !== detail.id && !candidates.some((s) => s.id === c.id)),
          ].map((c) => ({ value: c.id, label: `${c.caseNo} · ${c.title}` }))}
          data-testid="merge-into"
        />
      </Form.Item>
    </>
  );
}

function ActionFields({ action, detail }: { action: ConsoleAction; detail: CaseDetail }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const target = Form.useWatch('target', form);
  // departments the caller may dispatch or whistle to for this case's place
  const departments = useDepartments(detail.place.nodeId, action === 'dispatch' || action === 'whistle');
  const departmentOptions = (departments.data ?? [])
    .filter((d) => d.active)
    .map((d) => ({ value: d.id, label: `${d.name}（${d.nodeName}）` }));
  const reason = (
    <Form.Item
      name="reason"
      required
      label={t('cases.dialog.reason')}
      extra={t('cases.dialog.reasonHelp')}
      rules={[reasonRule(t('cases.dialog.reasonTooShort'))]}
    >
      <Input.TextArea rows={3} maxLength={500} showCount data-testid="action-reason" />
    </Form.Item>
  );
  const note = (required: boolean) => (
    <Form.Item
      name="note"
      required={required}
      label={t('cases.dialog.note')}
      rules={required ? [reasonRule(t('cases.dialog.noteRequired'))] : []}
    >
      <Input.TextArea
        rows={3}
        maxLength={2000}
        placeholder={t('cases.dialog.notePlaceholder')}
        data-testid="action-note"
      />
    </Form.Item>
  );
  const photos = (
    <Form.Item
      name="photos"
      label={t('cases.dialog.photos')}
      extra={t('cases.dialog.photosHelp')}
      valuePropName="value"
    >
      <PhotoPicker />
    </Form.Item>
  );
  switch (action) {
    case 'accept':
      return note(false);
    case 'dispatch':
      return (
        <>
          <Form.Item name="target" label={t('cases.dialog.dispatchTo')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'grid', label: t('cases.dialog.toGrid') },
                { value: 'department', label: t('cases.dialog.toDepartment') },
              ]}
            />
          </Form.Item>
          {target === 'department' ? (
            <Form.Item
              name="departmentId"
              label={t('cases.dialog.toDepartment')}
              rules={[{ required: true, message: t('cases.dialog.dispatchNeedsTarget') }]}
            >
              <Select
                options={departmentOptions}
                loading={departments.isLoading}
                placeholder={t('cases.dialog.departmentPlaceholder')}
                data-testid="dispatch-department"
              />
            </Form.Item>
          ) : (
            <Form.Item
              name="nodeId"
              label={t('cases.dialog.toGrid')}
              rules={[{ required: true, message: t('cases.dialog.dispatchNeedsTarget') }]}
            >
              <NodeSearchSelect
                types={['grid', 'micro_grid']}
                placeholder={t('cases.dialog.gridPlaceholder')}
                data-testid="dispatch-grid"
              />
            </Form.Item>
          )}
          {note(false)}
        </>
      );
    case 'whistle':
      return (
        <>
          <Form.Item
            name="departmentIds"
            label={t('cases.dialog.departments')}
            rules={[{ required: true, message: t('common.selectRequired', { field: t('cases.dialog.toDepartment') }) }]}
          >
            <Select
              mode="multiple"
              options={departmentOptions}
              loading={departments.isLoading}
              placeholder={t('cases.dialog.departmentPlaceholder')}
              data-testid="whistle-departments"
            />
          </Form.Item>
          <Form.Item name="dueAt" label={t('cases.dialog.whistleDue')} extra={t('cases.dialog.whistleDueHelp')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={(d) => d.isBefore(dayjs(), 'day')}
              data-testid="whistle-due"
            />
          </Form.Item>
          {note(true)}
        </>
      );
    case 'note':
      return (
        <>
          {note(true)}
          {photos}
          <Form.Item name="isPublic" valuePropName="checked">
            <Checkbox>{t('cases.dialog.publicNote')}</Checkbox>
          </Form.Item>
        </>
      );
    case 'handle':
      return (
        <>
          {note(true)}
          {photos}
        </>
      );
    case 'verify':
      return (
        <>
          <Form.Item name="passed" label={t('cases.dialog.verifyResult')}>
            <Radio.Group
              options={[
                { value: true, label: t('cases.dialog.passed') },
                { value: false, label: t('cases.dialog.failed') },
              ]}
              data-testid="verify-result"
            />
          </Form.Item>
          {note(false)}
          {photos}
        </>
      );
    case 'park':
      return (
        <>
          {reason}
          <Form.Item
            name="until"
            label={t('cases.dialog.parkUntil')}
            rules={[{ required: true, message: t('common.selectRequired', { field: t('cases.dialog.parkUntil') }) }]}
          >
            <DatePicker disabledDate={(d) => !d.isAfter(dayjs(), 'day')} data-testid="park-until" />
          </Form.Item>
        </>
      );
    case 'merge':
      return (
        <>
          <MergeTarget detail={detail} />
          {note(false)}
        </>
      );
    case 'unpark':
      return <Typography.Paragraph>{t('cases.dialog.confirmUnpark')}</Typography.Paragraph>;
    case 'escalate':
    case 'return':
    case 'cancel':
    case 'reopen':
      return reason;
  }
}

/** The dialog of one allowed action on a case; the server answers the case as it now is. */
export function CaseActionDialog({
  detail,
  action,
  onClose,
}: {
  detail: CaseDetail;
  action: Exclude<CaseAction, 'rate'>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const act = useCaseAction();
  const danger = action === 'cancel' || action === 'return';
  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    act.mutate(
      { id: detail.id, action, body: bodyOf(action, values) },
      {
        onSuccess: () => {
          message.success(t('cases.done'));
          onClose();
        },
        onError: (error) => {
          if (!showFieldError(form, error, FIELDS)) message.error(error.message);
        },
      },
    );
  };
  return (
    <Modal
      open
      title={`${t(`cases.actions.${action}`)} · ${detail.caseNo}`}
      okText={t(`cases.actions.${action}`)}
      okButtonProps={{ danger }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={act.isPending}
      destroyOnHidden
      width={action === 'merge' ? 640 : 520}
      data-testid={`action-dialog-${action}`}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ target: 'grid', passed: true, isPublic: true, nodeId: detail.place.gridId }}
      >
        <ActionFields action={action as ConsoleAction} detail={detail} />
      </Form>
    </Modal>
  );
}

/** 评价: a reporter who filed for someone (or themselves) rates a closed case once. */
export function RateDialog({ detail, onClose }: { detail: CaseDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rating, setRating] = useState(5);
  const [comment, setComment] = useState('');
  const act = useRateCase();
  return (
    <Modal
      open
      title={`${t('cases.actions.rate')} · ${detail.caseNo}`}
      okText={t('cases.actions.rate')}
      cancelText={t('common.cancel')}
      confirmLoading={act.isPending}
      onCancel={onClose}
      onOk={() =>
        act.mutate(
          { id: detail.id, rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
          {
            onSuccess: () => {
              message.success(t('cases.done'));
              onClose();
            },
            onError: (error) => message.error(error.message),
          },
        )
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('cases.dialog.rating')}>
          <Rate value={rating} onChange={(v) => setRating(Math.max(1, v))} />
        </Form.Item>
        <Form.Item label={t('cases.dialog.ratingComment')}>
          <Input.TextArea rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
