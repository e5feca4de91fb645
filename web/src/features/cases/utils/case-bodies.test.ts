import type { UploadFile } from 'antd';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { bodyOf, reportBodyOf, uploadedIds, whistleActionsFor, whistleBodyOf } from './case-bodies';

const ID_A = 'AAAAAAAAAAAAAAAAAAAAAA';
const ID_B = 'BBBBBBBBBBBBBBBBBBBBBB';
const photos: UploadFile[] = [
  { uid: ID_A, name: 'a.jpg', status: 'done' },
  { uid: 'rc-upload-1', name: 'b.jpg', status: 'uploading' },
  { uid: ID_B, name: 'c.jpg', status: 'done' },
];

describe('uploadedIds', () => {
  it('sends only finished uploads', () => {
    expect(uploadedIds(photos)).toEqual([ID_A, ID_B]);
    expect(uploadedIds(undefined)).toEqual([]);
  });
});

describe('bodyOf', () => {
  it('dispatches to the grid or to the department chosen, never both', () => {
    expect(bodyOf('dispatch', { target: 'grid', nodeId: 5, departmentId: 9, note: ' 请尽快 ' })).toEqual({
      nodeId: 5,
      note: '请尽快',
    });
    expect(bodyOf('dispatch', { target: 'department', nodeId: 5, departmentId: 9, note: '  ' })).toEqual({
      departmentId: 9,
    });
  });

  it('whistles with the departments, the note and an optional deadline', () => {
    const due = dayjs('2026-12-09T10:00:00+08:00');
    expect(bodyOf('whistle', { departmentIds: [1, 2], note: ' 联合处置 ', dueAt: due })).toEqual({
      departmentIds: [1, 2],
      note: '联合处置',
      dueAt: '2026-12-09T02:00:00.000Z',
    });
    expect(bodyOf('whistle', { departmentIds: [1], note: '联合', dueAt: null })).toEqual({
      departmentIds: [1],
      note: '联合',
    });
  });

  it('attaches finished photos to notes, handling and checks', () => {
    expect(bodyOf('note', { note: '已到场', photos, isPublic: false })).toEqual({
      note: '已到场',
      public: false,
      fileIds: [ID_A, ID_B],
    });
    expect(bodyOf('handle', { note: '已修复' })).toEqual({ note: '已修复' });
    expect(bodyOf('verify', { passed: false, note: '仍有积水', photos })).toEqual({
      passed: false,
      note: '仍有积水',
      fileIds: [ID_A, ID_B],
    });
  });

  it('sends a reason for escalate, return, cancel and reopen, and a day for park', () => {
    for (const action of ['escalate', 'return', 'cancel', 'reopen'] as const) {
      expect(bodyOf(action, { reason: ' 不属本网格 ', note: 'ignored' })).toEqual({ reason: '不属本网格' });
    }
    expect(bodyOf('park', { reason: '待资金', until: dayjs('2027-01-15') })).toEqual({
      reason: '待资金',
      until: '2027-01-15',
    });
    expect(bodyOf('unpark', { reason: 'x' })).toEqual({});
    expect(bodyOf('merge', { intoId: 42 })).toEqual({ intoId: 42 });
    expect(bodyOf('accept', {})).toEqual({});
  });
});

describe('whistleBodyOf', () => {
  it('builds the bodies of a department member’s answers', () => {
    expect(whistleBodyOf('accept', { note: ' ' })).toEqual({});
    expect(whistleBodyOf('report', { note: ' 已清理 ', photos })).toEqual({ note: '已清理', fileIds: [ID_A, ID_B] });
    expect(whistleBodyOf('return', { reason: ' 非本部门职责 ' })).toEqual({ reason: '非本部门职责' });
  });
});

describe('whistleActionsFor', () => {
  it('offers accept or return while pending, report or return once accepted, nothing after', () => {
    expect(whistleActionsFor({ status: 'pending' })).toEqual(['accept', 'return']);
    expect(whistleActionsFor({ status: 'accepted' })).toEqual(['report', 'return']);
    expect(whistleActionsFor({ status: 'reported' })).toEqual([]);
    expect(whistleActionsFor({ status: 'returned' })).toEqual([]);
  });
});

describe('reportBodyOf', () => {
  it('files at the chosen node with only the fields filled in', () => {
    expect(
      reportBodyOf({
        categoryId: 3,
        source: 'hotline',
        title: ' ',
        description: ' 楼道灯不亮 ',
        nodeId: 8,
        address: ' 2单元 ',
        contactName: '王先生',
        contactPhone: ' 13800000000 ',
        photos,
      }),
    ).toEqual({
      categoryId: 3,
      source: 'hotline',
      description: '楼道灯不亮',
      place: { nodeId: 8, address: '2单元' },
      contactName: '王先生',
      contactPhone: '13800000000',
      fileIds: [ID_A, ID_B],
    });
    expect(reportBodyOf({ categoryId: 3, source: 'patrol', nodeId: 8 })).toEqual({
      categoryId: 3,
      source: 'patrol',
      place: { nodeId: 8 },
    });
  });
});
