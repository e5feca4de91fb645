import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has a default for everything not set', () => {
    const c = loadConfig({});
    expect(c).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: path.resolve('./data'),
      pgliteDir: path.join(path.resolve('./data'), 'pglite'),
      keyFile: path.join(path.resolve('./data'), 'linli.key'),
      secret: undefined,
      adminPassword: undefined,
      loadDemo: true,
      mqttUrl: undefined,
      mqttPort: 1884,
      trustProxy: false,
      sessionHours: 12,
      allowedOrigins: [],
      passwordConfirmMinutes: 10,
      idClashDailyLimit: 20,
      jobsConcurrency: 2,
      logLevel: 'info',
      mapTiles: null,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', LINLI_DEMO: '' })).toMatchObject({ port: 3000, loadDemo: true });
  });

  it('reads numbers, switches and paths from their strings', () => {
    const c = loadConfig({
      PORT: '8080',
      LINLI_DATA_DIR: '/var/lib/linli',
      LINLI_DEMO: '0',
      LINLI_TRUST_PROXY: '1',
      LINLI_SESSION_HOURS: '48',
      LINLI_ALLOWED_ORIGINS: 'https://Linli.Example.org:443, http://localhost:5173',
      LINLI_PASSWORD_CONFIRM_MINUTES: '5',
      LINLI_ID_CLASH_DAILY_LIMIT: '5',
      LINLI_JOBS_CONCURRENCY: '4',
      LINLI_MQTT_PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: 'postgresql://linli@db/linli',
    });
    expect(c).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/linli',
      keyFile: '/var/lib/linli/linli.key',
      loadDemo: false,
      trustProxy: true,
      sessionHours: 48,
      allowedOrigins: ['https://linli.example.org', 'http://localhost:5173'],
      passwordConfirmMinutes: 5,
      idClashDailyLimit: 5,
      jobsConcurrency: 4,
      mqttPort: 0,
      logLevel: 'warn',
      databaseUrl: 'postgresql://linli@db/linli',
    });
  });

  it('refuses an allowed origin that is not scheme://host[:port], naming the variable', () => {
    for (const bad of ['linli.example.org', 'https://linli.example.org/console', 'ftp://linli.example.org']) {
      expect(() => loadConfig({ LINLI_ALLOWED_ORIGINS: bad })).toThrow(
        /^Invalid environment variable LINLI_ALLOWED_ORIGINS: not an origin/,
      );
    }
    expect(loadConfig({ LINLI_ALLOWED_ORIGINS: 'https://linli.example.org/' }).allowedOrigins).toEqual([
      'https://linli.example.org',
    ]);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ SOMETHING_ELSE: 'x', PATH: '/bin' }).port).toBe(3000);
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['PORT', 'true'],
    ['LINLI_SESSION_HOURS', '0'],
    ['LINLI_DEMO', 'yes'],
    ['DATABASE_URL', 'mysql://x'],
    ['LINLI_SECRET', 'short'],
    ['MQTT_URL', 'http://broker'],
    ['LOG_LEVEL', 'verbose'],
  ] as const) {
    it(`names ${name} when it is ${value}`, () => {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid environment variable ${name}\\b`));
    });
  }

  it('turns the embedded broker off when MQTT_URL points to another broker', () => {
    expect(loadConfig({ MQTT_URL: 'mqtt://broker.example:1883' })).toMatchObject({
      mqttUrl: 'mqtt://broker.example:1883',
      mqttPort: 0,
    });
    expect(loadConfig({ MQTT_URL: 'mqtts://broker.example', LINLI_MQTT_PORT: '2883' }).mqttPort).toBe(0);
    expect(loadConfig({ LINLI_MQTT_PORT: '2883' }).mqttPort).toBe(2883);
  });
});
