import { Select, Space } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeriodKind, Scheme } from '../assessment-types';
import { periodLabel, recentPeriods, shanghaiToday } from '../utils/assessment-format';

type Props = {
  schemes: readonly Scheme[];
  schemeId: number | null;
  periodStart: string | null;
  onChange: (schemeId: number | null, periodStart: string | null) => void;
  /** Only periods of this kind are offered (selections are quarterly). */
  onlyKind?: PeriodKind;
  /** How many periods back are offered. */
  count?: number;
  today?: string;
};

/** A scheme (by name, with its period kind) and one of its recent periods; picks the first scheme and the last period. */
export function SchemePeriodPicker({ schemes, schemeId, periodStart, onChange, onlyKind, count = 12, today }: Props) {
  const { t, i18n } = useTranslation();
  const offered = useMemo(
    () => schemes.filter((s) => s.active && (!onlyKind || s.periodKind === onlyKind)),
    [schemes, onlyKind],
  );
  const scheme = offered.find((s) => s.id === schemeId) ?? null;
  const day = today ?? shanghaiToday();
  const periods = scheme ? recentPeriods(scheme.periodKind, day, count) : [];
  // the current period has only begun: the one before is the latest complete one
  const fallback = periods[1] ?? periods[0] ?? null;

  useEffect(() => {
    if (scheme === null && offered[0]) {
      const first = offered[0];
      const ps = recentPeriods(first.periodKind, day, 2);
      onChange(first.id, ps[1] ?? ps[0] ?? null);
    } else if (scheme && (periodStart === null || !periods.includes(periodStart))) {
      onChange(scheme.id, fallback);
    }
  }, [scheme, offered, periodStart, periods, fallback, day, onChange]);

  return (
    <Space wrap>
      <Select
        style={{ width: 260 }}
        aria-label={t('assessment.scheme')}
        placeholder={t('assessment.scheme')}
        value={scheme?.id}
        onChange={(id: number) => onChange(id, null)}
        options={offered.map((s) => ({
          value: s.id,
          label: `${s.name}（${t(`assessment.periodKinds.${s.periodKind}`)}）`,
        }))}
        data-testid="assessment-scheme"
      />
      <Select
        style={{ width: 180 }}
        aria-label={t('assessment.period')}
        placeholder={t('assessment.period')}
        value={periodStart ?? undefined}
        disabled={!scheme}
        onChange={(p: string) => onChange(scheme?.id ?? null, p)}
        options={periods.map((p) => ({ value: p, label: periodLabel(scheme!.periodKind, p, i18n.language) }))}
        data-testid="assessment-period"
      />
    </Space>
  );
}
