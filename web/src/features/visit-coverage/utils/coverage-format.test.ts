import { describe, expect, it } from 'vitest';
import { canDrill, overdueLink, ratePercent, rateStatus, rateText } from './coverage-format';

describe('coverage format', () => {
  it('shows rates in percent, with a dash when nothing was required', () => {
    expect(ratePercent(0.5)).toBe(50);
    expect(ratePercent(0.3333)).toBe(33.3);
    expect(rateText(null)).toBe('—');
    expect(rateText(1)).toBe('100.0%');
    expect([rateStatus(0.5), rateStatus(0.75), rateStatus(0.95), rateStatus(null)]).toEqual([
      'exception',
      'normal',
      'success',
      'normal',
    ]);
  });

  it('links overdue counts to the task list of the area and period', () => {
    const link = overdueLink(42, { from: '2026-12-07', to: '2026-12-13' });
    expect(link.startsWith('/visits/tasks?status=overdue&nodeId=42')).toBe(true);
    const q = new URLSearchParams(link.split('?')[1]);
    expect(q.get('dueFrom')).toBe('2026-12-07T00:00:00+08:00');
    expect(q.get('dueTo')).toBe('2026-12-13T23:59:59+08:00');
    expect(new URLSearchParams(overdueLink(1, { from: 'a', to: 'b' }, 7).split('?')[1]).get('assigneeId')).toBe('7');
    expect(canDrill('community')).toBe(true);
    expect(canDrill('grid')).toBe(false);
  });
});
