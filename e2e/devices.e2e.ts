import type { APIRequestContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DEMO_PASSWORD } from './server.js';
import { browserSession, signIn, signInOnPhone } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const PHONE = { width: 390, height: 844 };

type Api = APIRequestContext;
type Resident = { id: number; name: string; nodeId: number; houseId: number | null };
type DeviceType = { code: string; events: { key: string }[] };
type Created = { device: { id: number }; credentials: { deviceId: number; token: string; httpUrl: string } };
type Alarm = {
  id: number;
  status: string;
  outcome: string | null;
  deviceId: number;
  residentId: number | null;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  events: { action: string; detail: Record<string, unknown> }[];
};

/** A context signed in through the API only, for acting as another user beside the pages under test. */
async function apiAs(username: string, password = DEMO_PASSWORD): Promise<Api> {
  const page = await session.openPage();
  const res = await page.request.post('/api/auth/login', {
    data: { username, password },
    headers: { origin: session.server().url },
  });
  expect([res.status(), await res.text()]).toEqual([200, expect.any(String)]);
  return page.request;
}

async function json<T>(res: Awaited<ReturnType<Api['get']>>, status = 200): Promise<T> {
  expect([res.status(), await res.text()]).toEqual([status, expect.any(String)]);
  return (await res.json()) as T;
}

/** The status a phone alarm card or page shows (its code, as the element carries it). */
const statusOf = (locator: ReturnType<Page['getByTestId']>) => locator.getAttribute('data-status');

describe('a device alarm from registration to its outcome, in the console and on the phone', () => {
  it('register an SOS button → it is pressed (HTTP ingest) → the centre and the worker’s phone show it live → the family acknowledges on the phone → the worker resolves with an outcome → the console shows the outcome', async () => {
    const origin = { origin: session.server().url };

    // ---- the people: an elderly resident of 第一网格, and a daughter who is on their contact list ----
    const wangge = await apiAs('wangge');
    const shequ = await apiAs('shequ');
    const residents = await json<{ items: Resident[] }>(
      await wangge.get('/api/people/residents', { params: { ageMin: 60, pageSize: 50 } }),
    );
    const resident = residents.items.find((r) => r.houseId !== null);
    expect(resident, 'an elderly resident of 第一网格 with a house').toBeTruthy();
    const familyPhone = '13966661234';
    await json(
      await shequ.post(`/api/people/residents/${resident!.id}/contacts`, {
        data: { name: '李女儿', relation: '女儿', phone: familyPhone },
        headers: origin,
      }),
    );
    // the daughter's own Linli account carries the same phone number: that makes her family of the resident
    const admin = await apiAs('admin', ADMIN_PASSWORD);
    const me = await json<{ posts: { nodeId: number; nodeType: string }[] }>(await shequ.get('/api/auth/me'));
    const community = me.posts[0]!.nodeId;
    await json(
      await admin.post('/api/users', {
        data: {
          username: 'jiashu',
          displayName: '李女儿',
          password: 'Start@2026x',
          phone: familyPhone,
          homeNodeId: community,
          posts: [{ nodeId: community, role: 'resident' }],
        },
        headers: origin,
      }),
      201,
    );
    const familyPassword = 'Family@2026x';
    const familyApi = await apiAs('jiashu', 'Start@2026x');
    const changed = await familyApi.post('/api/auth/password', {
      data: { currentPassword: 'Start@2026x', newPassword: familyPassword },
      headers: origin,
    });
    expect([changed.status(), await changed.text()]).toEqual([204, '']);

    // ---- the community worker registers an SOS button at the resident's home (credentials shown once) ----
    const types = await json<{ items: DeviceType[] }>(await shequ.get('/api/device-types'));
    const sos = types.items.find((t) => t.code === 'sos_button');
    expect(sos, 'the built-in SOS button type').toBeTruthy();
    const sosEvent = sos!.events[0]!.key;
    const created = await json<Created>(
      await shequ.post('/api/devices', {
        data: {
          typeCode: 'sos_button',
          serial: 'E2E-SOS-0001',
          name: '床头呼叫按钮',
          nodeId: resident!.nodeId,
          houseId: resident!.houseId,
          residentId: resident!.id,
        },
        headers: origin,
      }),
      201,
    );
    const deviceId = created.device.id;
    expect(created.credentials.deviceId).toBe(deviceId);
    expect(created.credentials.token.length).toBeGreaterThanOrEqual(40);
    // the family sees the device among their watched person's
    const watched = await json<{ items: { residentId: number; devices: { id: number }[] }[] }>(
      await familyApi.get('/api/me/watched'),
    );
    expect(watched.items.find((w) => w.residentId === resident!.id)?.devices.map((d) => d.id)).toContain(deviceId);

    // ---- the console's alarm centre and the grid worker's phone are open before the button is pressed ----
    const console_ = await session.openPage();
    await signIn(console_, 'shequ');
    await console_.goto('/alarms');
    await console_.getByTestId('alarms-table').waitFor();
    const navigations: string[] = [];
    console_.on('framenavigated', (f) => {
      if (f === console_.mainFrame()) navigations.push(f.url());
    });
    const worker = await session.openPage(PHONE, true);
    await signInOnPhone(worker, 'wangge');
    await worker.getByTestId('m-entry-alarms').click();
    await worker.waitForURL('**/m/alarms');
    await worker.getByTestId('m-alarms').waitFor();

    // the daughter has 家人预警 open (her mother's button listed, no alarm yet)
    const family = await session.openPage(PHONE, true);
    await signInOnPhone(family, 'jiashu', familyPassword);
    await family.getByTestId('m-entry-family').click();
    await family.waitForURL('**/m/family');
    await family.locator(`[data-testid=m-watched-person][data-resident-id="${resident!.id}"]`).waitFor();
    expect(await family.getByTestId('m-alarm-card').count()).toBe(0);

    // ---- the button is pressed: the device posts its event with its own token ----
    const device = (await session.openPage()).request;
    const wrong = await device.post(`/api/ingest/devices/${deviceId}/messages`, {
      data: { id: 'sos-1', event: sosEvent },
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status()).toBe(401);
    const ingest = await device.post(`/api/ingest/devices/${deviceId}/messages`, {
      data: { id: 'sos-1', ts: Date.now(), event: sosEvent },
      headers: { authorization: `Bearer ${created.credentials.token}` },
    });
    expect([ingest.status(), await ingest.text()]).toEqual([202, expect.any(String)]);
    expect(((await ingest.json()) as { accepted: number }).accepted).toBe(1);

    const alarms = await json<{ items: Alarm[] }>(
      await shequ.get('/api/alarms', { params: { deviceId, status: 'open' } }),
    );
    expect(alarms.items).toHaveLength(1);
    const alarmId = alarms.items[0]!.id;
    expect(alarms.items[0]!.residentId).toBe(resident!.id);

    // the console's centre shows it without a reload
    const row = console_.getByTestId('alarms-table').locator(`tr[data-row-key="${alarmId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(navigations).toEqual([]);
    expect(await row.getByTestId('alarm-status').getAttribute('data-status')).toBe('active');
    expect(await row.getByTestId('alarm-severity').getAttribute('data-severity')).toBe('critical');
    // and so does the grid worker's phone list, live, with its one-tap 确认
    const workerCard = worker.locator(`[data-testid=m-alarm-card][data-alarm-id="${alarmId}"]`);
    await workerCard.waitFor({ timeout: 15_000 });
    expect(await statusOf(workerCard)).toBe('active');
    expect(await workerCard.getByTestId('m-alarm-ack').count()).toBe(1);

    // ---- the daughter: the alarm reached her phone without a reload; 我知道了 (one tap) ----
    const familyCard = family.locator(`[data-testid=m-alarm-card][data-alarm-id="${alarmId}"]`);
    await familyCard.waitFor({ timeout: 15_000 });
    expect(await familyCard.getByTestId('m-alarm-person').textContent()).toContain(resident!.name.slice(0, 1));
    const person = family.locator(`[data-testid=m-watched-person][data-resident-id="${resident!.id}"]`);
    await person.waitFor();
    // the button has just been heard from: online
    expect(
      await person.locator(`[data-testid=m-watched-device][data-device-id="${deviceId}"]`).getAttribute('data-online'),
    ).toBe('true');
    await familyCard.getByTestId('m-family-ack').click();
    await expect.poll(() => statusOf(familyCard)).toBe('acknowledged');
    expect(await familyCard.getByTestId('m-family-ack').count()).toBe(0);

    // the centre and the worker's phone follow: acknowledged (no 确认 left on the phone)
    await expect
      .poll(() => row.getByTestId('alarm-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('acknowledged');
    await expect.poll(() => statusOf(workerCard), { timeout: 15_000 }).toBe('acknowledged');
    expect(await workerCard.getByTestId('m-alarm-ack').count()).toBe(0);

    // ---- the grid worker opens it, sees the daughter among the contacts (masked), resolves with an outcome ----
    await workerCard.locator('.m-alarm-tap').click();
    await worker.waitForURL(`**/m/alarms/${alarmId}`);
    const page = worker.getByTestId('m-alarm');
    await page.waitFor();
    const contacts = worker.getByTestId('m-alarm-contacts');
    expect(await contacts.textContent()).toContain('李女儿');
    // a masked number is shown, never offered as a tel: link
    expect(await contacts.getByTestId('m-contact-phone').first().textContent()).toMatch(/\*/);
    expect(await contacts.getByTestId('m-contact-call').count()).toBe(0);
    await worker.getByTestId('m-alarm-resolve').click();
    const form = worker.getByTestId('m-form-resolve');
    await form.waitFor();
    // the outcome is required
    await form.getByTestId('m-form-submit').click();
    await form.getByTestId('m-resolve-missing').waitFor();
    await form.getByTestId('m-resolve-outcomes').getByText('人员安全', { exact: true }).click();
    await form.locator('textarea').fill('已上门查看，老人误按，身体无恙');
    await form.getByTestId('m-form-submit').click();
    await expect.poll(() => statusOf(page)).toBe('resolved');
    expect(await worker.getByTestId('m-alarm-resolved').textContent()).toContain('人员安全');
    expect(await worker.getByTestId('m-alarm-actions').count()).toBe(0);

    const resolved = await json<Alarm>(await shequ.get(`/api/alarms/${alarmId}`));
    expect([resolved.status, resolved.outcome]).toEqual(['resolved', 'person_safe']);
    expect(resolved.acknowledgedBy).toBeTruthy();
    expect(resolved.resolvedBy).toBeTruthy();
    expect(resolved.events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['raised', 'acknowledged', 'resolved']),
    );

    // ---- the console shows it resolved, with the outcome ----
    await console_.goto(`/alarms/${alarmId}`);
    const detail = console_.getByTestId('alarm-detail');
    await expect
      .poll(() => detail.getByTestId('alarm-status').first().getAttribute('data-status'), { timeout: 15_000 })
      .toBe('resolved');
    expect(await console_.getByTestId('alarm-facts').textContent()).toContain('人员安全');
    await console_.getByTestId('alarm-timeline').getByText('已上门查看，老人误按，身体无恙').first().waitFor();

    // ---- the daughter takes her mother home for a few days: 外出/在子女家 on, with a reason; then off again ----
    await family.goto('/m/family');
    const awayPerson = family.locator(`[data-testid=m-watched-person][data-resident-id="${resident!.id}"]`);
    await awayPerson.getByTestId('m-away-switch').click();
    const awayForm = family.getByTestId('m-form-away');
    await awayForm.getByTestId('m-away-reason').locator('textarea').fill('去女儿家住几天');
    await awayForm.getByTestId('m-form-submit').click();
    await expect.poll(() => awayPerson.getByTestId('m-away-state').count()).toBe(1);
    expect(await awayPerson.getByTestId('m-away-state').textContent()).toContain('去女儿家住几天');
    // the worker sees the same switch on the resident
    const away = await json<{ residentId: number; reason: string | null; untilAt: string | null } | null>(
      await wangge.get(`/api/residents/${resident!.id}/away`),
    );
    expect([away?.residentId, away?.reason, away?.untilAt]).toEqual([resident!.id, '去女儿家住几天', null]);
    await awayPerson.getByTestId('m-away-switch').click();
    await family.locator('.adm-dialog-footer').getByText('确定', { exact: true }).click();
    await expect.poll(() => awayPerson.getByTestId('m-away-state').count()).toBe(0);
    expect(await (await wangge.get(`/api/residents/${resident!.id}/away`)).text()).toBe('null');

    // and the worker's list has no open alarm of this device left
    await worker.goto('/m/alarms');
    await worker.getByTestId('m-alarms').waitFor();
    expect(await worker.locator(`[data-testid=m-alarm-card][data-alarm-id="${alarmId}"]`).count()).toBe(0);
  });
});
