import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/errors.js';
import { shanghaiDay } from './rules.logic.js';
import { checkVisitedAt, shanghaiBounds, taskEffect, taskReason } from './visits.logic.js';

const base = { ruleName: '规则', tagName: null, every: null, unit: null, triggerTagName: null, caseNo: null };

describe('checkVisitedAt', () => {
  const now = new Date('2026-12-07T04:00:00Z');
  const code = (at: Date) => {
    try {
      checkVisitedAt(at, now);
      return null;
    } catch (e) {
      return e instanceof AppError ? [e.code, e.field] : e;
    }
  };
  it('takes now, a little clock skew, and up to 30 days back', () => {
    expect(code(now)).toBeNull();
    expect(code(new Date(now.getTime() + 5 * 60_000))).toBeNull();
    expect(code(new Date(now.getTime() - 30 * 86_400_000))).toBeNull();
  });
  it('refuses the future beyond the skew and older than 30 days, naming visitedAt', () => {
    expect(code(new Date(now.getTime() + 5 * 60_000 + 1))).toEqual(['VISIT_IN_FUTURE', 'visitedAt']);
    expect(code(new Date(now.getTime() - 30 * 86_400_000 - 1))).toEqual(['VISIT_TOO_OLD', 'visitedAt']);
  });
});

describe('taskEffect', () => {
  it('closes on well and needs help, counts an attempt on not at home', () => {
    expect(taskEffect('well')).toBe('close');
    expect(taskEffect('needs_help')).toBe('close');
    expect(taskEffect('not_home')).toBe('attempt');
  });
});

describe('Shanghai days', () => {
  it('a UTC evening is the next Shanghai day; weeks start on Monday', () => {
    expect(shanghaiDay(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07');
    const b = shanghaiBounds(new Date('2026-12-09T02:00:00Z')); // Wednesday 10:00 in Shanghai
    expect(b.dayStart.toISOString()).toBe('2026-12-08T16:00:00.000Z');
    expect(b.dayEnd.toISOString()).toBe('2026-12-09T16:00:00.000Z');
    expect(b.weekStart.toISOString()).toBe('2026-12-06T16:00:00.000Z'); // Monday 7 December 00:00
    expect(b.weekEnd.toISOString()).toBe('2026-12-13T16:00:00.000Z');
    const sunday = shanghaiBounds(new Date('2026-12-13T15:59:00Z'));
    expect(sunday.weekStart.toISOString()).toBe('2026-12-06T16:00:00.000Z');
  });
});

describe('taskReason', () => {
  it('periodic: the tag and the frequency', () => {
    const f = { ...base, reasonKey: 'p:2026-12-07', tagName: '独居老人', every: 1, unit: 'week' as const };
    expect(taskReason(f, 'zh-CN')).toBe('独居老人 · 每周');
    expect(taskReason({ ...f, every: 2 }, 'zh-CN')).toBe('独居老人 · 每2周');
    expect(taskReason({ ...f, every: 2 }, 'en')).toBe('独居老人 · every 2 weeks');
    expect(taskReason({ ...f, unit: 'quarter' }, 'en')).toBe('独居老人 · every quarter');
  });
  it('events: the tag and its day, the case number, the alarm or visit, else the rule', () => {
    const ms = Date.parse('2026-12-04T17:00:00Z'); // 5 December in Shanghai
    expect(taskReason({ ...base, reasonKey: `tag:${ms}`, triggerTagName: '住院' }, 'zh-CN')).toBe('住院 · 12月5日');
    expect(taskReason({ ...base, reasonKey: `tag:${ms}`, triggerTagName: '住院' }, 'en')).toBe('住院 · Dec 5');
    expect(taskReason({ ...base, reasonKey: 'case:12', caseNo: 'SJ20261207-000012' }, 'zh-CN')).toBe(
      '事件 SJ20261207-000012',
    );
    expect(taskReason({ ...base, reasonKey: 'alarm:3' }, 'en')).toBe('Alarm #3');
    expect(taskReason({ ...base, reasonKey: 'visit:40' }, 'zh-CN')).toBe('走访 #40');
    expect(taskReason({ ...base, ruleName: '家有丧事', reasonKey: 'deceased' }, 'zh-CN')).toBe('家有丧事');
  });
});
