import path from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { parseAllowedOrigins } from './http/origin.logic.js';

/** Every environment variable Linli reads, in one schema (README's configuration table mirrors it). */
export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '0.0.0.0' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  LINLI_DATA_DIR: Type.String({ default: './data' }),
  LINLI_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  LINLI_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  LINLI_DEMO: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '1' }),
  MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?|tcp)://' })),
  LINLI_MQTT_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 1884 }),
  LINLI_TRUST_PROXY: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0' }),
  LINLI_SESSION_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 90, default: 12 }),
  LINLI_ALLOWED_ORIGINS: Type.Optional(Type.String()),
  LINLI_PASSWORD_CONFIRM_MINUTES: Type.Integer({ minimum: 1, maximum: 24 * 60, default: 10 }),
  /** ID numbers registered outside a user's area that they may enter per day (each becomes a move-in request). */
  LINLI_ID_CLASH_DAILY_LIMIT: Type.Integer({ minimum: 0, maximum: 100000, default: 20 }),
  /** Jobs of one name a server runs at once (background jobs, platform/jobs), unless the job says otherwise. */
  LINLI_JOBS_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
  /** Set by `npm start` (scripts/start.mjs): when the command began, in ms since the epoch, for the start banner. */
  LINLI_STARTED_AT: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * Map tiles behind the phone's grid map: a URL template with {x}, {y} and {z} (e.g. 天地图 with its key). Unset:
   * the map draws the grid outlines alone and nothing is fetched from the internet.
   */
  LINLI_MAP_TILES: Type.Optional(Type.String({ pattern: '^https?://[^\\s]*\\{z\\}', maxLength: 500 })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
});

export type Env = Static<typeof EnvSchema>;

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  pgliteDir: string;
  keyFile: string;
  secret: string | undefined;
  adminPassword: string | undefined;
  loadDemo: boolean;
  mqttUrl: string | undefined;
  /** 0 turns the embedded broker off (tests, or when MQTT_URL points elsewhere). */
  mqttPort: number;
  trustProxy: boolean;
  sessionHours: number;
  /** Origins besides Linli's own allowed to send state-changing requests with the session cookie. */
  allowedOrigins: string[];
  /** Minutes a password entered at a session allows creating API tokens. */
  passwordConfirmMinutes: number;
  /** Clashes with people registered outside the user's area, per user and day, before they are refused. */
  idClashDailyLimit: number;
  /** Background jobs of one name run at once per server. */
  jobsConcurrency: number;
  /** When the launching command began (ms since the epoch), if it said so. */
  commandStartedAt: number | undefined;
  logLevel: string;
  /** The map tile URL template (LINLI_MAP_TILES), or null: no tiles. */
  mapTiles: string | null;
};

export class ConfigError extends Error {}

/** Reads and checks the environment; a bad value stops the start with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(EnvSchema.properties)) {
    const v = env[key];
    if (v === undefined || v === '') continue;
    // Whole numbers only from plain digits: "80.5" or "true" must fail with the variable's name, not become 80 or 1.
    raw[key] = (schema as { type?: string }).type === 'integer' && /^\d+$/.test(v) ? Number(v) : v;
  }
  const converted = Value.Default(EnvSchema, raw);
  const errors = [...Value.Errors(EnvSchema, converted)];
  if (errors.length > 0) {
    const first = errors[0]!;
    const name = first.instancePath.replace(/^\//, '') || '(environment)';
    throw new ConfigError(`Invalid environment variable ${name}: ${first.message}`);
  }
  const e = converted as Env;
  let allowedOrigins: string[];
  try {
    allowedOrigins = parseAllowedOrigins(e.LINLI_ALLOWED_ORIGINS);
  } catch (err) {
    throw new ConfigError(`Invalid environment variable LINLI_ALLOWED_ORIGINS: ${(err as Error).message}`);
  }
  const dataDir = path.resolve(e.LINLI_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    pgliteDir: path.join(dataDir, 'pglite'),
    keyFile: path.join(dataDir, 'linli.key'),
    secret: e.LINLI_SECRET,
    adminPassword: e.LINLI_ADMIN_PASSWORD,
    loadDemo: e.LINLI_DEMO === '1',
    mqttUrl: e.MQTT_URL,
    mqttPort: e.MQTT_URL ? 0 : e.LINLI_MQTT_PORT,
    trustProxy: e.LINLI_TRUST_PROXY === '1',
    sessionHours: e.LINLI_SESSION_HOURS,
    allowedOrigins,
    passwordConfirmMinutes: e.LINLI_PASSWORD_CONFIRM_MINUTES,
    idClashDailyLimit: e.LINLI_ID_CLASH_DAILY_LIMIT,
    jobsConcurrency: e.LINLI_JOBS_CONCURRENCY,
    commandStartedAt: e.LINLI_STARTED_AT,
    logLevel: e.LOG_LEVEL,
    mapTiles: e.LINLI_MAP_TILES ?? null,
  };
}
