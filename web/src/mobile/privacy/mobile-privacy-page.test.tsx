import { describe, expect, it } from 'vitest';
import type { Me, PrivacyMyData, PrivacyRequestDetail } from '../../api-types';
import { PrivacyRequestDetailView } from '../../features/privacy/components/privacy-requests-view';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { MobileMyDataPage, MyDataEntry } from './mobile-privacy-page';

failOnRenderWarnings();

const resident = {
  user: {
    id: 9,
    username: 'jumin',
    displayName: '陈居民',
    locale: 'zh-CN',
    mustChangePassword: false,
    residentId: 100,
  },
  permissions: [],
  modules: ['privacy', 'people'],
  posts: [{ nodeId: 8, nodeType: 'unit', nodeName: '1单元', role: 'resident' }],
  notice: null,
} as unknown as Me;
const worker = {
  ...resident,
  user: { ...resident.user, id: 5, username: 'wangge', residentId: null },
  permissions: ['privacy.handle', 'people.read'],
} as unknown as Me;

const purposes: PrivacyMyData['purposes'] = [
  {
    code: 'population_registry',
    name: '人口与房屋登记',
    notice: '社区依法履行人口管理职责',
    basis: 'statutory',
    objectable: false,
    objected: false,
    sections: ['record', 'household', 'house'],
  },
  {
    code: 'special_care',
    name: '特殊人群关爱与政策服务',
    notice: '标签用于关爱走访',
    basis: 'statutory',
    objectable: true,
    objected: true,
    sections: ['tags', 'visits'],
  },
];
const data: PrivacyMyData = {
  linked: true,
  purposes,
  record: {
    purpose: 'population_registry',
    id: 100,
    name: '陈户主',
    sex: 'male',
    birthDate: '1960-01-01',
    idNumber: '370883196001010011',
    phone: '13905377020',
    ethnicity: '汉族',
    relation: 'head',
    status: 'active',
    place: '东关社区/第一网格/1号楼/1单元',
    hukouAddress: null,
    currentAddress: '1号楼1单元302',
    movedInOn: null,
    hukouType: null,
    incomeBand: null,
    disabilityGrade: null,
    updatedAt: '2026-12-07T01:00:00.000Z',
  },
  household: {
    purpose: 'population_registry',
    householdNo: 'HH-1',
    members: [
      { id: 100, name: '陈户主', relation: 'head', sex: 'male', age: 66, isSelf: true },
      { id: 101, name: '林*子', relation: 'spouse', sex: 'female', age: 64, isSelf: false },
    ],
  },
  house: null,
  tags: {
    purpose: 'special_care',
    items: [
      { id: 3, name: '残疾人', sensitive: true, source: 'manual', since: '2026-01-01T00:00:00.000Z', removable: true },
    ],
  },
  cases: { purpose: 'case_handling', items: [] },
  balances: { purpose: 'points_timebank', items: [{ currency: 'hours', balance: 90, unit: 'minutes', owner: 'self' }] },
  visits: { purpose: 'special_care', items: [] },
  devices: { purpose: 'device_alerts', items: [] },
  consents: {
    purpose: 'privacy_rights',
    objections: [],
    requests: [
      {
        id: 7,
        kind: 'correction',
        purpose: null,
        changes: [{ field: 'currentAddress', value: '新地址' }],
        tags: [],
        explanation: '搬家',
        status: 'pending',
        dueAt: '2026-12-28T09:30:00.000Z',
        createdAt: '2026-12-07T01:00:00.000Z',
        decidedAt: null,
        decisionNote: null,
        legalGround: null,
        legalGroundText: null,
      },
    ],
  },
  correctable: ['name', 'phone', 'ethnicity', 'hukouAddress', 'currentAddress'],
  deletable: ['phone', 'ethnicity', 'currentAddress'],
};

describe('my data on the phone', () => {
  it('shows the resident their record in full, each section’s purpose, the notices and the forms', () => {
    const html = renderView(resident, <MobileMyDataPage />, (c) =>
      c.setQueryData(['privacy', 'mine'], data),
    ).replaceAll('<!-- -->', '');
    expect(html).toContain('370883196001010011');
    expect(html).toContain('人口与房屋登记');
    expect(html).toContain('社区依法履行人口管理职责');
    expect(html).toContain('data-testid="m-privacy-correction"');
    expect(html).toContain('data-testid="m-privacy-deletion"');
    expect(html).toContain('data-testid="m-privacy-xlsx"');
  });

  it('tells an account without a record that it is not linked, with no forms', () => {
    const html = renderView(resident, <MobileMyDataPage />, (c) =>
      c.setQueryData(['privacy', 'mine'], { ...data, linked: false, record: null, household: null }),
    );
    expect(html).toContain('尚未关联居民信息');
    expect(html).not.toContain('m-privacy-correction');
  });

  it('offers the entry to a resident with a record only', () => {
    expect(renderView(resident, <MyDataEntry />)).toContain('data-testid="m-entry-privacy"');
    expect(renderView(worker, <MyDataEntry />)).not.toContain('m-entry-privacy');
  });
});

describe('a privacy request in the console', () => {
  const detail: PrivacyRequestDetail = {
    id: 7,
    kind: 'correction',
    status: 'pending',
    purpose: null,
    residentId: 100,
    residentName: '陈户主',
    place: '东关社区/第一网格',
    changes: [{ field: 'phone', value: '139****7099' }],
    dueAt: '2026-12-28T09:30:00.000Z',
    overdue: true,
    createdAt: '2026-12-07T01:00:00.000Z',
    decidedAt: null,
    explanation: '换号了',
    tags: [],
    fields: [],
    current: { phone: '139****7020' },
    before: null,
    decidedBy: null,
    decisionNote: null,
    legalGround: null,
    legalGroundText: null,
    requester: '陈居民',
  };
  it('shows the current and proposed values, the overdue mark and the decision', () => {
    const html = renderView(worker, <PrivacyRequestDetailView id={7} />, (c) =>
      c.setQueryData(['privacy', 'one', 7], detail),
    );
    expect(html).toContain('139****7020');
    expect(html).toContain('139****7099');
    expect(html).toContain('已超期');
    expect(html).toContain('data-testid="privacy-accept"');
  });
});
