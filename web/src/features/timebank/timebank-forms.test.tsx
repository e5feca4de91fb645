import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { TimebankPage } from '../../pages/timebank-page';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { SKILL_CODES } from '../volunteers/volunteer-logic';
import { NewRequestForm, NewServiceForm } from './timebank-forms';
import { MAX_MINUTES, MIN_MINUTES, requestBody, serviceBody, totalMinutes } from './timebank-forms-logic';
import { SERVICE_TYPES, timebankKeys } from './use-timebank';

const worker = {
  user: { id: 3, username: 'shequ', displayName: '社区', locale: 'zh-CN', mustChangePassword: false, residentId: null },
  permissions: ['volunteers.read', 'volunteers.manage'],
  modules: ['volunteers', 'points'],
  posts: [{ nodeId: 5, nodeType: 'community', nodeName: '东关社区', role: 'community_worker' }],
  notice: null,
} as unknown as Me;

failOnRenderWarnings();

describe('the bodies the console time-bank forms send', () => {
  it('turns hours plus minutes into whole minutes within the API bounds', () => {
    expect(totalMinutes({ hours: 1, minutes: 30 })).toBe(90);
    expect(totalMinutes({ hours: 2, minutes: null })).toBe(120);
    expect(totalMinutes({ hours: null, minutes: 15 })).toBe(15);
    expect(totalMinutes({})).toBe(0);
    expect([MIN_MINUTES, MAX_MINUTES]).toEqual([15, 1440]);
  });

  it('records a service for a volunteer: ids from the pickers, ISO time, minutes; a blank note left out', () => {
    const servedAt = new Date('2026-12-06T02:00:00.000Z');
    expect(
      serviceBody({
        volunteerResidentId: 12,
        recipientResidentId: 34,
        serviceType: 'companionship',
        servedAt,
        hours: 1,
        minutes: 30,
        note: '  ',
      }),
    ).toEqual({
      volunteerResidentId: 12,
      recipientResidentId: 34,
      serviceType: 'companionship',
      servedAt: '2026-12-06T02:00:00.000Z',
      minutes: 90,
    });
    expect(
      serviceBody({
        volunteerResidentId: 12,
        recipientResidentId: 34,
        serviceType: 'cleaning',
        servedAt,
        hours: 0,
        minutes: 45,
        note: ' 打扫厨房 ',
      }),
    ).toEqual({
      volunteerResidentId: 12,
      recipientResidentId: 34,
      serviceType: 'cleaning',
      servedAt: '2026-12-06T02:00:00.000Z',
      minutes: 45,
      note: '打扫厨房',
    });
  });

  it('files a community-paid request: no payer field (the route is the community one), trimmed texts', () => {
    const body = requestBody({
      beneficiaryResidentId: 56,
      serviceType: 'hospital',
      wantedAt: new Date('2026-12-09T01:00:00.000Z'),
      hours: 2,
      minutes: 0,
      place: ' 县医院 ',
      description: '',
    });
    expect(body).toEqual({
      beneficiaryResidentId: 56,
      serviceType: 'hospital',
      wantedAt: '2026-12-09T01:00:00.000Z',
      minutes: 120,
      place: '县医院',
    });
    // RequestCreate is strict: only its own fields
    expect(Object.keys(body).sort()).toEqual(['beneficiaryResidentId', 'minutes', 'place', 'serviceType', 'wantedAt']);
  });

  it('offers the service types of the volunteers skills list (what matching compares)', () => {
    expect(SERVICE_TYPES).toEqual(SKILL_CODES);
    expect(SERVICE_TYPES).toContain('companionship');
    expect(SERVICE_TYPES).not.toContain('elder_care');
  });
});

describe('the console time-bank forms', () => {
  it('picks the volunteer and the recipient by search, never by a typed id, with hours and minutes', () => {
    const html = renderView(worker, <NewServiceForm onDone={() => undefined} />);
    expect(html).toContain('data-testid="timebank-volunteer"');
    expect(html).toContain('data-testid="timebank-recipient"');
    expect(html).toContain('data-testid="timebank-service-type"');
    expect(html).toContain('志愿者');
    expect(html).toContain('服务对象');
    expect(html).toContain('时长（小时）');
    expect(html).toContain('时长（分钟）');
    expect(html).toContain('共 15 分钟至 24 小时');
    expect(html).not.toContain('编号');
  });

  it('files a request for a beneficiary picked by search', () => {
    const html = renderView(worker, <NewRequestForm onDone={() => undefined} />);
    expect(html).toContain('data-testid="timebank-beneficiary"');
    expect(html).toContain('data-testid="timebank-service-type"');
    expect(html).toContain('时长（小时）');
    expect(html).not.toContain('data-testid="timebank-volunteer"');
  });

  it('offers both forms on the page, beside the lists', () => {
    const html = renderView(worker, <TimebankPage />, (c) => {
      c.setQueryData(timebankKeys.services({ status: 'pending' }), { items: [] });
    });
    expect(html).toContain('timebank-new-service-open');
    expect(html).toContain('登记服务');
  });
});
