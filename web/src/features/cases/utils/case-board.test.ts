import { describe, expect, it } from 'vitest';
import type { CaseStageInfo, CaseSummary } from '../../../api-types';
import { currentDue, formatSpan, isCaseChange, kanbanColumns } from './case-board';

const stage = (code: CaseStageInfo['code'], sort: number): CaseStageInfo => ({
  code,
  nameZh: code,
  nameEn: code,
  name: `名-${code}`,
  type: 'open',
  sort,
});
const STAGE_INFO = [
  stage('reported', 1),
  stage('dispatched', 2),
  stage('handling', 3),
  stage('whistled', 4),
  stage('escalated', 5),
  stage('handled', 6),
  stage('parked', 7),
  stage('closed', 8),
  stage('merged', 9),
  stage('cancelled', 10),
];
const item = (id: number, s: CaseSummary['stage']) => ({ id, stage: s }) as CaseSummary;

describe('kanbanColumns', () => {
  it('puts loaded cases under their stage with the server counts, in the configured order', () => {
    const reordered = STAGE_INFO.map((s) => (s.code === 'escalated' ? { ...s, sort: 0 } : s));
    const cols = kanbanColumns(
      [item(1, 'reported'), item(2, 'handling'), item(3, 'reported')],
      { reported: 5, handling: 1 },
      reordered,
    );
    expect(cols.map((c) => c.stage)).toEqual([
      'escalated',
      'reported',
      'dispatched',
      'handling',
      'whistled',
      'handled',
      'parked',
      'closed',
    ]);
    expect(cols[1]).toEqual({
      stage: 'reported',
      name: '名-reported',
      count: 5,
      items: [item(1, 'reported'), item(3, 'reported')],
    });
    expect(cols[0]?.count).toBe(0);
  });

  it('shows merged and cancelled columns only when they hold cases or are filtered for', () => {
    expect(kanbanColumns([], { cancelled: 2 }, STAGE_INFO).some((c) => c.stage === 'cancelled')).toBe(true);
    expect(kanbanColumns([], {}, STAGE_INFO, ['merged', 'handled']).map((c) => c.stage)).toEqual(['handled', 'merged']);
  });
});

describe('currentDue', () => {
  const now = new Date('2026-12-07T02:00:00Z');
  const due = {
    responseDueAt: '2026-12-07T02:15:00Z',
    handleDueAt: '2026-12-07T01:00:00Z',
    verifyDueAt: '2026-12-08T02:00:00Z',
  };

  it('watches the response deadline while dispatched, handling while in hand, verifying once handled', () => {
    expect(currentDue({ ...due, stage: 'dispatched' }, now)).toEqual({
      kind: 'due',
      at: due.responseDueAt,
      minutesLeft: 15,
    });
    expect(currentDue({ ...due, stage: 'handling' }, now)).toEqual({
      kind: 'late',
      at: due.handleDueAt,
      minutesLate: 60,
    });
    expect(currentDue({ ...due, stage: 'handled' }, now)).toEqual({
      kind: 'due',
      at: due.verifyDueAt,
      minutesLeft: 1440,
    });
  });

  it('has no deadline before dispatch, while parked or once finished', () => {
    for (const s of ['reported', 'parked', 'closed', 'cancelled'] as const) {
      expect(currentDue({ ...due, stage: s }, now)).toEqual({ kind: 'none' });
    }
  });
});

describe('formatSpan', () => {
  it('writes minutes, hours and days in both languages', () => {
    expect(formatSpan(45, 'zh-CN')).toBe('45分钟');
    expect(formatSpan(200, 'zh-CN')).toBe('3小时20分');
    expect(formatSpan(60 * 52, 'zh-CN')).toBe('2天4小时');
    expect(formatSpan(1440, 'en')).toBe('1d');
    expect(formatSpan(125, 'en')).toBe('2h 5m');
  });
});

describe('isCaseChange', () => {
  it('accepts the cases topic payload and nothing else', () => {
    expect(isCaseChange({ id: 4, stage: 'handled', supervision: 0 })).toBe(true);
    expect(isCaseChange({ id: 4, stage: 'done', supervision: 0 })).toBe(false);
    expect(isCaseChange({ id: '4', stage: 'handled', supervision: 0 })).toBe(false);
    expect(isCaseChange(null)).toBe(false);
  });
});
