import './visits.css';
import { LockOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { GenerationResult, VisitRule } from '../../../api-types';
import { useGenerateVisitTasks, useUpdateVisitRule, useVisitRules } from '../hooks/use-visits';
import { groupRules } from '../utils/visit-labels';
import { RuleDrawer, type RuleDrawerMode } from './rule-drawer';
import { CategoryTag } from './visit-tags';

/** What a rule asks for, in one line: 独居老人 · 每 1 周 / 标签“住院”新增 · 24 小时内. */
export function useRuleSchedule() {
  const { t } = useTranslation();
  return (r: VisitRule, ruleName: (id: number) => string | undefined = () => undefined): string => {
    if (r.kind === 'periodic') {
      const every = t('visits.rules.everyText', {
        count: r.every ?? 0,
        unit: r.unit ? t(`visits.unit.${r.unit}`) : '',
      });
      return `${r.tagName ?? '—'} · ${every}`;
    }
    const outcome = (o: string | null) =>
      o
        ? r.trigger === 'alarm_outcome'
          ? t(`alarms.outcome.${o}`, { defaultValue: o })
          : t(`visits.outcome.${o}`, { defaultValue: o })
        : '';
    const parameter =
      r.trigger === 'tag_added'
        ? (r.triggerTagName ?? '')
        : r.trigger === 'case_category'
          ? (r.triggerCategoryName ?? '')
          : r.trigger === 'alarm_outcome'
            ? outcome(r.triggerOutcome)
            : r.trigger === 'visit_outcome'
              ? t('visits.rules.afterRule', {
                  rule: r.triggerRuleId ? (ruleName(r.triggerRuleId) ?? `#${r.triggerRuleId}`) : '',
                  outcome: outcome(r.triggerOutcome),
                })
              : '';
    const trigger = r.trigger ? t(`visits.trigger.${r.trigger}`) : '—';
    const within = t('visits.rules.withinHours', { count: r.dueHours ?? 0 });
    return [trigger, parameter, within].filter(Boolean).join(' · ');
  };
}

function GenerationAlert({ result, onClose }: { result: GenerationResult; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="success"
      showIcon
      closable={{ onClose }}
      data-testid="visit-generation-result"
      title={t('visits.rules.generated', result)}
    />
  );
}

/**
 * 走访规则 (三到六访): the installation's rules grouped 必到 / 必访 / 例行, each with what it asks for, whom, and its
 * open tasks; switch one on or off in place, edit it in the drawer, or run the generation now.
 */
export function VisitRulesSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = useVisitRules();
  const update = useUpdateVisitRule();
  const generate = useGenerateVisitTasks();
  const [mode, setMode] = useState<RuleDrawerMode | null>(null);
  const [result, setResult] = useState<GenerationResult | null>(null);
  const schedule = useRuleSchedule();
  const all = rules.data ?? [];
  // a follow-up rule names the rule it follows (the rule itself knows only its id)
  const nameOf = new Map(all.map((r) => [r.id, r.name]));

  const toggle = (r: VisitRule, enabled: boolean) =>
    update.mutate(
      { id: r.id, body: { version: r.version, enabled } },
      {
        onSuccess: () => message.success(t(enabled ? 'visits.rules.enabledDone' : 'visits.rules.disabledDone')),
        onError: (error) => message.error(error.message),
      },
    );
  const runNow = () =>
    generate.mutate(undefined, {
      onSuccess: setResult,
      onError: (error) => message.error(error.message),
    });

  const columns: ColumnsType<VisitRule> = [
    {
      title: t('visits.rules.name'),
      key: 'name',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Space size={4} wrap>
            <span data-testid="visit-rule-name">{r.name}</span>
            {r.builtin ? <Tag icon={<LockOutlined />}>{t('visits.rules.builtin')}</Tag> : null}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.code}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('visits.rules.kind'), key: 'kind', width: 90, render: (_, r) => t(`visits.kind.${r.kind}`) },
    {
      title: t('visits.rules.schedule'),
      key: 'schedule',
      render: (_, r) => schedule(r, (id) => nameOf.get(id)),
    },
    {
      title: t('visits.rules.assignee'),
      key: 'assignee',
      width: 160,
      render: (_, r) => `${t(`visits.assigneeKind.${r.assignee}`)} · ${t(`visits.target.${r.target}`)}`,
    },
    {
      title: t('visits.rules.openTasks'),
      key: 'openTasks',
      width: 90,
      render: (_, r) =>
        r.openTasks > 0 ? <Link to={`/visits/tasks?ruleId=${r.id}`}>{r.openTasks}</Link> : <span>0</span>,
    },
    {
      title: t('visits.rules.enabled'),
      key: 'enabled',
      width: 80,
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.enabled}
          loading={update.isPending && update.variables?.id === r.id}
          onChange={(on) => toggle(r, on)}
          data-testid="visit-rule-enabled"
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, r) => (
        <Button
          type="link"
          size="small"
          onClick={() => setMode({ kind: 'edit', rule: r })}
          data-testid="visit-rule-edit"
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={t('visits.rules.title')}
      extra={
        <Space wrap>
          <Button
            icon={<ThunderboltOutlined />}
            loading={generate.isPending}
            onClick={runNow}
            data-testid="visit-generate"
          >
            {t('visits.rules.generate')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setMode({ kind: 'create' })}
            data-testid="visit-rule-create"
          >
            {t('visits.rules.create')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('visits.rules.intro')}</Typography.Paragraph>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {result ? <GenerationAlert result={result} onClose={() => setResult(null)} /> : null}
        {rules.error ? <Alert type="error" showIcon title={rules.error.message} /> : null}
        {rules.isLoading ? <Table<VisitRule> loading columns={columns} dataSource={[]} rowKey="id" /> : null}
        {groupRules(all).map((group) => (
          <div key={group.category} data-testid={`visit-rules-${group.category}`}>
            <Space style={{ marginBottom: 8 }}>
              <CategoryTag category={group.category} />
              <Typography.Text type="secondary">{t(`visits.categoryHint.${group.category}`)}</Typography.Text>
            </Space>
            <Table<VisitRule>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={group.rules}
              columns={columns}
              rowClassName={(r) => (r.enabled ? '' : 'linli-visit-rule-off')}
              data-testid="visit-rules-table"
            />
          </div>
        ))}
        {!rules.isLoading && all.length === 0 && !rules.error ? (
          <Typography.Text type="secondary">{t('visits.rules.none')}</Typography.Text>
        ) : null}
      </Space>
      <RuleDrawer mode={mode} rules={all} onClose={() => setMode(null)} />
    </Card>
  );
}
