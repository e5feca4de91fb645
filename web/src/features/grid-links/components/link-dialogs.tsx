import { App, Checkbox, DatePicker, Form, Input, Modal, Select, Spin } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldError } from '../../../ui/form-errors';
import { useDebounced } from '../../../ui/use-debounced';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useUsers } from '../../users/hooks/use-users';
import type { GridLink, LinkKind } from '../api/grid-links-api';
import { useCreateGridLinks, useEndGridLink, useGridLinkGaps, useUpdateGridLink } from '../hooks/use-grid-links';

export const LINK_KINDS: readonly LinkKind[] = ['party_household', 'cadre_group', 'leader_building'];
const DAY = 'YYYY-MM-DD';
const errorText = (e: unknown, fallback: string) => (e instanceof Error ? e.message : fallback);

/** An account of the reader's area, by name or username. */
export function LinkerPicker({
  value,
  onChange,
  id,
  width = 200,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  id?: string;
  width?: number;
}) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const q = useDebounced(term, 250);
  const users = useUsers({ q: q || undefined, page: 1, pageSize: 20 });
  return (
    <Select<number>
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setTerm }}
      placeholder={t('gridLinks.linker')}
      style={{ width }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      notFoundContent={users.isFetching ? <Spin size="small" /> : null}
      options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
      data-testid="grid-link-user-picker"
    />
  );
}

/** The households of a building no party member is linked to yet, to tick (党员联户: 10–15 each). */
function HouseholdPicker({
  buildingId,
  value,
  onChange,
}: {
  buildingId: number | null;
  value?: number[];
  onChange?: (v: number[]) => void;
}) {
  const { t } = useTranslation();
  const gaps = useGridLinkGaps(buildingId, true, 1, buildingId !== null);
  if (buildingId === null) return <span className="muted">{t('gridLinks.pickBuildingFirst')}</span>;
  if (gaps.isLoading) return <Spin size="small" />;
  const items = gaps.data?.items ?? [];
  if (items.length === 0) return <span>{t('gridLinks.noFreeHouseholds')}</span>;
  return (
    <Checkbox.Group
      value={value}
      onChange={(v) => onChange?.(v as number[])}
      style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', maxHeight: 280, overflowY: 'auto' }}
      options={items.map((h) => ({
        value: h.householdId,
        label: `${h.placeLabel}${h.headName ? ` ${h.headName}` : ''}（${t('gridLinks.members', { count: h.members })}）`,
      }))}
      data-testid="grid-link-households"
    />
  );
}

type CreateValues = {
  kind: LinkKind;
  userId: number;
  buildingId?: number | null;
  householdIds?: number[];
  nodeId?: number | null;
  validFrom: Dayjs;
  validTo?: Dayjs | null;
  note?: string;
};

/** New links: a party member with a batch of households of one building, a cadre with a group, a leader with a building. */
export function CreateLinkModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  const kind = Form.useWatch('kind', form) ?? 'party_household';
  const buildingId = Form.useWatch('buildingId', form) ?? null;
  const picked = Form.useWatch('householdIds', form) ?? [];
  const create = useCreateGridLinks();
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const res = await create.mutateAsync({
        kind: v.kind,
        userId: v.userId,
        ...(v.kind === 'party_household' ? { householdIds: v.householdIds ?? [] } : { nodeId: v.nodeId ?? 0 }),
        validFrom: v.validFrom.format(DAY),
        validTo: v.validTo ? v.validTo.format(DAY) : null,
        ...(v.note ? { note: v.note } : {}),
      });
      message.success(t('gridLinks.created', { count: res.items.length }));
      form.resetFields();
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['userId', 'nodeId', 'householdIds', 'validFrom', 'validTo', 'note']))
        message.error(errorText(e, t('errors.unknown')));
    }
  };
  return (
    <Modal
      open={open}
      title={t('gridLinks.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('gridLinks.save')}
      confirmLoading={create.isPending}
      width={640}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'party_household', validFrom: dayjs() }}
        data-testid="grid-link-create-form"
      >
        <Form.Item name="kind" label={t('gridLinks.kind')} rules={[{ required: true }]}>
          <Select options={LINK_KINDS.map((k) => ({ value: k, label: t(`gridLinks.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item
          name="userId"
          label={t('gridLinks.linker')}
          rules={[{ required: true, message: t('gridLinks.linkerRequired') }]}
        >
          <LinkerPicker width={360} />
        </Form.Item>
        {kind === 'party_household' ? (
          <>
            <Form.Item name="buildingId" label={t('gridLinks.building')}>
              <NodeSearchSelect types={['building']} allowClear style={{ width: 360 }} />
            </Form.Item>
            <Form.Item
              name="householdIds"
              label={`${t('gridLinks.households')}（${t('gridLinks.picked', { count: picked.length })}）`}
              extra={t('gridLinks.householdsHint')}
              rules={[{ required: true, type: 'array', min: 1, message: t('gridLinks.householdsRequired') }]}
            >
              <HouseholdPicker buildingId={buildingId} />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="nodeId"
            label={kind === 'cadre_group' ? t('gridLinks.group') : t('gridLinks.building')}
            rules={[{ required: true, message: t('gridLinks.targetRequired') }]}
          >
            <NodeSearchSelect
              types={kind === 'cadre_group' ? ['grid', 'micro_grid'] : ['building']}
              style={{ width: 360 }}
            />
          </Form.Item>
        )}
        <Form.Item name="validFrom" label={t('gridLinks.validFrom')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="validTo" label={t('gridLinks.validTo')}>
          <DatePicker allowClear />
        </Form.Item>
        <Form.Item name="note" label={t('gridLinks.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Change a link's end of validity and note. */
export function ValidityModal({ link, onClose }: { link: GridLink | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ validTo?: Dayjs | null; note?: string }>();
  const update = useUpdateGridLink();
  const submit = async () => {
    if (!link) return;
    const v = form.getFieldsValue();
    try {
      await update.mutateAsync({
        id: link.id,
        validTo: v.validTo ? v.validTo.format(DAY) : null,
        note: v.note ? v.note : null,
      });
      message.success(t('gridLinks.saved'));
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['validTo', 'note'])) message.error(errorText(e, t('errors.unknown')));
    }
  };
  return (
    <Modal
      open={link !== null}
      title={t('gridLinks.changeValidity')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      {link && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ validTo: link.validTo ? dayjs(link.validTo) : null, note: link.note ?? '' }}
        >
          <p>
            {link.userName} → {link.targetLabel}（{t('gridLinks.validFrom')} {link.validFrom}）
          </p>
          <Form.Item name="validTo" label={t('gridLinks.validTo')} extra={t('gridLinks.validToHint')}>
            <DatePicker allowClear />
          </Form.Item>
          <Form.Item name="note" label={t('gridLinks.note')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** End a link with a reason (kept in the history). */
export function EndLinkModal({ link, onClose }: { link: GridLink | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const end = useEndGridLink();
  const submit = async () => {
    if (!link) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await end.mutateAsync({ id: link.id, reason: v.reason });
      message.success(t('gridLinks.ended'));
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['reason'])) message.error(errorText(e, t('errors.unknown')));
    }
  };
  return (
    <Modal
      open={link !== null}
      title={t('gridLinks.end')}
      onCancel={onClose}
      onOk={submit}
      okButtonProps={{ danger: true }}
      confirmLoading={end.isPending}
      destroyOnHidden
    >
      {link && (
        <Form form={form} layout="vertical">
          <p>
            {link.userName} → {link.targetLabel}
          </p>
          <Form.Item
            name="reason"
            label={t('gridLinks.reason')}
            rules={[{ required: true, min: 2, whitespace: true, message: t('gridLinks.reasonRequired') }]}
          >
            <Input.TextArea maxLength={200} rows={2} data-testid="grid-link-end-reason" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
