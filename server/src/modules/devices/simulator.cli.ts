/** `npm run linli -- simulate devices …`: the simulator from the command line (cli.ts parses, this runs). */
import { systemCtx } from '../../platform/access/context.js';
import type { Db } from '../../platform/db/client.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { registerSimDevicesOverHttp } from './simulator.http.js';
import { type SimProgress, startSimulation } from './simulator.js';
import { planDevices, SCENARIOS, type Scenario } from './simulator.logic.js';
import { registerSimDevices } from './simulator.register.js';

export const SIMULATE_USAGE = `npm run linli -- simulate devices --count N [--scenario normal|anomalies] [--url mqtt://…]
                                  [--rate msgs-per-device-per-minute] [--duration s] [--node id]
                                  [--api http://host:port --token=<API token> --node id]`;

export type SimulateArgs = {
  what: string | undefined;
  count: string | undefined;
  scenario: string | undefined;
  url: string | undefined;
  rate: string | undefined;
  duration: string | undefined;
  node: string | undefined;
  api: string | undefined;
  token: string | undefined;
};

type Io = { out: (s: string) => void; status: (s: string) => void };

export type ParsedSimulate = {
  count: number;
  scenario: Scenario;
  url: string | undefined;
  rate: number;
  durationS: number;
  nodeId: number | undefined;
  /** Register through a running Linli's API instead of the database. */
  api: { url: string; token: string; nodeId: number } | null;
};

/** The arguments checked: the parsed values, or the message to print. */
export function parseSimulateArgs(a: SimulateArgs): ParsedSimulate | string {
  if (a.what !== 'devices') return `simulate needs what to simulate: ${SIMULATE_USAGE}`;
  const count = Number(a.count ?? 10);
  if (!Number.isInteger(count) || count < 1 || count > 20_000) return '--count must be a whole number from 1 to 20000';
  const scenario = (a.scenario ?? 'normal') as Scenario;
  if (!SCENARIOS.includes(scenario)) return `--scenario must be one of ${SCENARIOS.join(', ')}`;
  const rate = Number(a.rate ?? 1);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 600)
    return '--rate must be a number of messages per device per minute, above 0 and at most 600';
  const durationS = Number(a.duration ?? 0);
  if (!Number.isFinite(durationS) || durationS < 0) return '--duration must be a number of seconds (0: until Ctrl-C)';
  const nodeId = a.node === undefined ? undefined : Number(a.node);
  if (nodeId !== undefined && (!Number.isInteger(nodeId) || nodeId < 1)) return '--node must be a node id';
  if (a.url !== undefined && !/^mqtts?:\/\/|^wss?:\/\//.test(a.url))
    return '--url must be an mqtt:// (or mqtts://, ws://) URL';
  let api: ParsedSimulate['api'] = null;
  if (a.api !== undefined || a.token !== undefined) {
    if (!a.api || !/^https?:\/\//.test(a.api) || !a.token || nodeId === undefined)
      return '--api needs a Linli URL (http://…), --token an API token with devices.manage, and --node where to install';
    api = { url: a.api, token: a.token, nodeId };
  }
  return { count, scenario, url: a.url, rate, durationS, nodeId, api };
}

const line = (p: SimProgress) =>
  `  ${p.elapsedS.toFixed(0).padStart(5)} s  connected ${p.connected}  sent ${p.sent} (${p.sentPerS}/s)  acked ${p.acked} (${p.ackedPerS}/s)${p.failed ? `  failed ${p.failed}` : ''}`;

/** Registers or reuses the devices (through the database, or `args.api` when `deps` is null), then publishes until the
 * duration ends or Ctrl-C. */
export async function simulateCommand(
  deps: { db: Db; pii: PiiCipher } | null,
  args: ParsedSimulate,
  broker: { url: string | undefined },
  io: Io,
): Promise<number> {
  const url = args.url ?? broker.url;
  if (!url) {
    io.out('No broker: pass --url, set MQTT_URL, or run Linli with its embedded broker (LINLI_MQTT_PORT).');
    return 2;
  }
  const plans = planDevices(args.count, args.scenario);
  const t = Date.now();
  const onProgress = (n: number) => {
    if (n % 100 === 0 || n === plans.length) io.status(`  devices ${n} / ${plans.length}`);
  };
  const reg = deps
    ? await registerSimDevices(deps, systemCtx('simulator'), plans, { nodeId: args.nodeId, onProgress })
    : args.api
      ? await registerSimDevicesOverHttp({ ...args.api, api: args.api.url }, plans, onProgress)
      : null;
  if (!reg) throw new Error('no database and no --api to register the devices with');
  io.out(
    `Devices: ${reg.created} registered, ${reg.reused} reused (credentials rotated) in ${((Date.now() - t) / 1000).toFixed(1)} s.`,
  );
  const odd = reg.devices.filter((d) => d.behaviour !== 'normal');
  for (const d of odd) io.out(`  anomaly: device ${d.deviceId} ${d.serial} — ${d.behaviour}`);
  io.out(
    `Publishing to ${url} at ${args.rate}/min per device (QoS 1)${args.durationS ? ` for ${args.durationS} s` : '; Ctrl-C to stop'}.`,
  );
  const sim = startSimulation({
    url,
    devices: reg.devices,
    ratePerMinute: args.rate,
    durationS: args.durationS,
    onProgress: (p) => io.status(line(p)),
    onError: (err) => io.status(`  broker: ${err.message}`),
  });
  const onSignal = () => void sim.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const end = await sim.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  io.out(`\nDone: ${end.sent} sent, ${end.acked} acknowledged, ${end.failed} failed in ${end.elapsedS} s.`);
  return 0;
}
