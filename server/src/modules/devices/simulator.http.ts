/**
 * Registering simulated devices through a running Linli's API (an API token with devices.manage), for when the
 * simulator cannot open the database itself: the embedded database is held by the running server. The same rules
 * as simulator.register.ts: create what is missing, rotate the credentials of SIM- devices that exist. Devices go to
 * the buildings under `nodeId` (or the node itself), without a house or resident.
 */
import type { DeviceCreated, DeviceCredentials, DeviceListItem, DeviceType } from './devices.schemas.js';
import type { SimDevicePlan } from './simulator.logic.js';
import type { SimRegistration } from './simulator.register.js';

type Api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

function client(base: string, token: string): Api {
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(new URL(path, base), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

export async function registerSimDevicesOverHttp(
  opts: { api: string; token: string; nodeId: number },
  plans: SimDevicePlan[],
  onProgress?: (done: number) => void,
): Promise<SimRegistration> {
  const api = client(opts.api, opts.token);
  const types = await api<{ items: DeviceType[] }>('GET', '/api/device-types');
  const metrics = new Map(types.items.map((t) => [t.code, t.metrics.map((m) => m.key)]));
  const existing = new Map<string, DeviceListItem>();
  for (let page = 1; ; page++) {
    const r = await api<{ items: DeviceListItem[]; total: number }>(
      'GET',
      `/api/devices?q=SIM-&pageSize=200&page=${page}`,
    );
    for (const d of r.items) if (d.status !== 'retired') existing.set(`${d.typeCode}/${d.serial}`, d);
    if (r.items.length < 200) break;
  }
  const buildings = await api<{ items: { nodeId: number }[] }>('GET', `/api/devices/buildings?nodeId=${opts.nodeId}`);
  const places = buildings.items.length > 0 ? buildings.items.map((b) => b.nodeId) : [opts.nodeId];
  const devices: SimRegistration['devices'] = [];
  let created = 0;
  let reused = 0;
  for (const plan of plans) {
    const found = existing.get(`${plan.typeCode}/${plan.serial}`);
    let c: DeviceCredentials;
    if (found) {
      c = await api<DeviceCredentials>('POST', `/api/devices/${found.id}/credentials`);
      reused++;
    } else {
      const made = await api<DeviceCreated>('POST', '/api/devices', {
        typeCode: plan.typeCode,
        serial: plan.serial,
        name: `模拟${plan.serial.slice(4)}`,
        nodeId: places[created % places.length],
      });
      c = made.credentials;
      created++;
    }
    devices.push({ ...plan, deviceId: c.deviceId, token: c.token, metrics: metrics.get(plan.typeCode) ?? [] });
    onProgress?.(devices.length);
  }
  return { devices, created, reused };
}
