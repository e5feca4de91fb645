import { i18n } from '../../i18n';
import type { CandidateReason } from './use-timebank';

/** A service type's or skill's label (`volunteers.skillNames.<code>`, part D's), else the code itself. */
export function skillLabel(code: string): string {
  const key = `volunteers.skillNames.${code}`;
  return i18n.exists(key) ? String(i18n.t(key as never)) : code;
}

/** One reason a candidate ranks where it does, for people. */
export function reasonLabel(r: CandidateReason): string {
  if (r.code === 'place') return String(i18n.t(`timebank.reasons.${r.place ?? 'elsewhere'}` as never));
  if (r.code === 'skill_match')
    return `${String(i18n.t('timebank.reasons.skill_match' as never))}：${skillLabel(r.skill ?? '')}`;
  return String(i18n.t(`timebank.reasons.${r.code}` as never, { count: r.count ?? 0 } as never));
}

/** A time of the API (ISO) as the reader's local date and time, minute precision. */
export function whenText(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
