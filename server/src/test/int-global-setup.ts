// The integration tests' global setup: prepares each database once per run (migrated, and with the demo region
// and accounts), for the suites to copy (./test-db.ts), and removes them at the end.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadDemoAccounts, loadDemoRegion } from '../demo/demo-region.js';
import { seedReferenceData } from '../modules/index.js';
import { ensureSystemAdmin } from '../modules/users/users.service.js';
import { type Db, dumpPglite, openPglite, openPostgres } from '../platform/db/client.js';
import { migrate } from '../platform/db/migrate.js';
import { createPiiCipher } from '../platform/pii/index.js';
import { ADMIN_PASSWORD, TEMPLATES_ENV, type TestTemplates } from './test-db.js';

async function loadDemo(db: Db, piiKey: Buffer): Promise<Record<string, number>> {
  const pii = createPiiCipher(piiKey);
  await seedReferenceData(db);
  const { ids } = await loadDemoRegion(db);
  await loadDemoAccounts(db, pii);
  await ensureSystemAdmin({ db, pii }, { password: ADMIN_PASSWORD });
  return ids;
}

export default async function prepareDatabases(): Promise<() => Promise<void>> {
  const started = Date.now();
  const piiKey = randomBytes(32);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'linli-test-templates-'));

  const lite = await openPglite(undefined);
  await migrate(lite);
  const migratedFile = path.join(dir, 'migrated.tar');
  await fs.promises.writeFile(migratedFile, Buffer.from(await (await dumpPglite(lite)).arrayBuffer()));
  const ids = await loadDemo(lite, piiKey);
  const demoFile = path.join(dir, 'demo.tar');
  await fs.promises.writeFile(demoFile, Buffer.from(await (await dumpPglite(lite)).arrayBuffer()));
  await lite.close();

  const base = process.env.DATABASE_URL;
  let postgres: TestTemplates['postgres'] = null;
  const tag = randomBytes(4).toString('hex');
  if (base) {
    postgres = { migrated: `linli_tpl_migrated_${tag}`, demo: `linli_tpl_demo_${tag}` };
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${postgres.migrated}`);
      const url = new URL(base);
      url.pathname = `/${postgres.migrated}`;
      const m = await openPostgres(url.toString(), { max: 2 });
      await migrate(m);
      await m.close();
      // a copy of the migrated one (no connection may be open to a template while it is copied)
      await admin.query(`CREATE DATABASE ${postgres.demo} TEMPLATE ${postgres.migrated}`);
      url.pathname = `/${postgres.demo}`;
      const d = await openPostgres(url.toString(), { max: 2 });
      const pgIds = await loadDemo(d, piiKey);
      await d.close();
      if (JSON.stringify(pgIds) !== JSON.stringify(ids)) throw new Error('the demo ids differ between databases');
    } finally {
      await admin.end();
    }
  }

  const templates: TestTemplates = {
    pglite: { migrated: migratedFile, demo: demoFile },
    postgres,
    piiKey: piiKey.toString('hex'),
    ids,
  };
  process.env[TEMPLATES_ENV] = JSON.stringify(templates);
  process.stdout.write(`test databases prepared in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  return async () => {
    await fs.promises.rm(dir, { recursive: true, force: true });
    if (base && postgres) {
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      for (const name of [postgres.demo, postgres.migrated])
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  };
}
