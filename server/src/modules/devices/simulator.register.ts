/**
 * Registering simulated devices, the one place the simulator touches the registry: devices are created through the
 * devices service (audited, credentials made there), and a later run reuses the SIM- devices it finds by serial,
 * rotating their credentials (the registry keeps only a hash, so a token cannot be read back).
 */
import type { Ctx } from '../../platform/access/context.js';
import type { Db } from '../../platform/db/client.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { createDevice, rotateCredentials } from './devices.service.js';
import type { SimDevice } from './simulator.js';
import type { SimDevicePlan } from './simulator.logic.js';
import {
  findDevicesBySerial,
  findFirstCountyPath,
  findNodePath,
  findTypeMetrics,
  listBuildingPlaces,
  listResidentPlaces,
  type SimPlace,
} from './simulator.repo.js';

export type SimRegisterDeps = { db: Db; pii: PiiCipher };

export type SimRegistration = { devices: SimDevice[]; created: number; reused: number };

/** Where the plans go: residents' houses under the node (wearables and meters watch over someone), else buildings. */
async function placesFor(db: Db, nodeId: number | undefined, count: number): Promise<SimPlace[]> {
  const root = nodeId === undefined ? await findFirstCountyPath(db) : await findNodePath(db, nodeId);
  if (!root) throw new Error(nodeId === undefined ? 'no county to place simulated devices in' : `no node ${nodeId}`);
  const places = await listResidentPlaces(db, root, count);
  if (places.length > 0) return places;
  const buildings = await listBuildingPlaces(db, root, count);
  if (buildings.length > 0) return buildings;
  return [{ nodeId: nodeId ?? Number(root.split('/').at(-2)), houseId: null, residentId: null }];
}

/**
 * Registers the planned devices that do not exist yet (through createDevice) and rotates the credentials of those
 * that do; either way every device comes back with a working token. Acts as `ctx` (the CLI and the demo: the system).
 * @throws what createDevice and rotateCredentials throw (e.g. DEVICE_TYPE_NOT_FOUND when a built-in type is off).
 */
export async function registerSimDevices(
  deps: SimRegisterDeps,
  ctx: Ctx,
  plans: SimDevicePlan[],
  opts: { nodeId?: number; onProgress?: (done: number) => void } = {},
): Promise<SimRegistration> {
  const existing = new Map(
    (
      await findDevicesBySerial(
        deps.db,
        plans.map((p) => p.serial),
      )
    ).map((d) => [`${d.type_code}/${d.serial}`, d]),
  );
  const metrics = await findTypeMetrics(deps.db, [...new Set(plans.map((p) => p.typeCode))]);
  const missing = plans.filter((p) => !existing.has(`${p.typeCode}/${p.serial}`));
  const places = missing.length > 0 ? await placesFor(deps.db, opts.nodeId, missing.length) : [];
  const devices: SimDevice[] = [];
  let created = 0;
  let reused = 0;
  for (const plan of plans) {
    const found = existing.get(`${plan.typeCode}/${plan.serial}`);
    let deviceId: number;
    let token: string;
    if (found) {
      const c = await rotateCredentials(deps, ctx, found.id);
      [deviceId, token] = [found.id, c.token];
      reused++;
    } else {
      const place = places[created % places.length]!;
      // A house and its resident go with the first device of each type there; the rest are installed at the node.
      const isFirstRound = created < places.length;
      const made = await createDevice(deps, ctx, {
        typeCode: plan.typeCode,
        serial: plan.serial,
        name: `模拟${plan.serial.slice(4)}`,
        nodeId: place.nodeId,
        houseId: isFirstRound ? place.houseId : null,
        residentId: isFirstRound ? place.residentId : null,
      });
      [deviceId, token] = [made.credentials.deviceId, made.credentials.token];
      created++;
    }
    devices.push({ ...plan, deviceId, token, metrics: metrics.get(plan.typeCode) ?? [] });
    opts.onProgress?.(devices.length);
  }
  return { devices, created, reused };
}
