import { describe, expect, it } from 'vitest';
import { addSla, calendarFrom } from '../cases/calendar.logic.js';
import {
  CORRECTABLE_FIELDS,
  DEADLINE,
  DELETABLE_FIELDS,
  duplicateField,
  isOverdue,
  LEGAL_GROUND_TEXT,
  maskChange,
  PURPOSES,
  purposeOfSection,
  SECTIONS,
} from './privacy.logic.js';

describe('purposes', () => {
  it('hold every section of "my data" exactly once, each with a notice in both languages', () => {
    for (const s of SECTIONS) expect(PURPOSES.filter((p) => p.sections.includes(s))).toHaveLength(1);
    for (const p of PURPOSES) {
      expect(p.notice['zh-CN']).toMatch(/[\u4e00-\u9fa5]/);
      expect(p.notice.en).not.toMatch(/[\u4e00-\u9fa5]/);
      expect(p.name.en).not.toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(purposeOfSection('record').objectable).toBe(false);
    expect(LEGAL_GROUND_TEXT.registration_required.en).not.toMatch(/[\u4e00-\u9fa5]/);
  });

  it('never lets a resident delete what household registration requires', () => {
    for (const required of ['name', 'hukouAddress', 'idNumber']) expect(DELETABLE_FIELDS).not.toContain(required);
    for (const f of DELETABLE_FIELDS) expect(CORRECTABLE_FIELDS).toContain(f);
  });
});

describe('requests', () => {
  it('masks a proposed phone number and nothing else', () => {
    expect(maskChange({ field: 'phone', value: '13905377099' })).toEqual({ field: 'phone', value: '139****7099' });
    expect(maskChange({ field: 'currentAddress', value: '新地址' })).toEqual({
      field: 'currentAddress',
      value: '新地址',
    });
    expect(maskChange({ field: 'phone', value: null })).toEqual({ field: 'phone', value: null });
  });

  it('finds a field named twice', () => {
    expect(duplicateField([{ field: 'name' }, { field: 'phone' }])).toBe(-1);
    expect(duplicateField([{ field: 'name' }, { field: 'phone' }, { field: 'name' }])).toBe(2);
  });

  it('is due 15 working days later: over a weekend, and over a holiday the calendar adds', () => {
    // Monday 2027-03-01 09:00 Shanghai (the working day's start): 15 whole working days on → the end of Friday
    // 2027-03-19 (17:30), two weekends skipped
    const start = new Date('2027-03-01T01:00:00Z');
    const plain = calendarFrom([]);
    expect(addSla(start, DEADLINE, plain).toISOString()).toBe('2027-03-19T09:30:00.000Z');
    // a local holiday on Wednesday 2027-03-10 moves it one working day on
    const withHoliday = calendarFrom([{ day: '2027-03-10', kind: 'holiday' }]);
    expect(addSla(start, DEADLINE, withHoliday).toISOString()).toBe('2027-03-22T09:30:00.000Z');
  });

  it('is overdue only while pending and past its deadline', () => {
    const due = new Date('2027-03-22T01:00:00Z');
    expect(isOverdue('pending', due, new Date('2027-03-22T02:00:00Z'))).toBe(true);
    expect(isOverdue('pending', due, new Date('2027-03-21T02:00:00Z'))).toBe(false);
    expect(isOverdue('accepted', due, new Date('2027-04-01T00:00:00Z'))).toBe(false);
  });
});
