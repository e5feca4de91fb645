/**
 * Imports as background jobs (`people.import`) and what a restart in the middle leaves: a commit is one
 * transaction, so a server that dies mid-commit has written nothing; the job that runs again on the next server
 * either completes the commit exactly once, or the import ends failed (IMPORT_INTERRUPTED) and "run again"
 * repeats it from the kept upload.
 */
import { expect, it } from 'vitest';
import { generateIdNumber } from '../../../platform/pii/index.js';
import { describeEachDb, type TestEnv } from '../../../test/test-app.js';
import * as repo from './import.repo.js';
import { IMPORT_JOB, principalOf, whenImportSettled } from './import.service.js';

function form(csv: string, nodeId: number) {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const part = (name: string, value: string, filename?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n` +
    `${filename ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n${value}\r\n`;
  return {
    payload: Buffer.from(`${part('nodeId', String(nodeId))}${part('file', csv, 'jobs.csv')}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

let seq = 500;
function csvOf(names: string[]): string {
  const rows = names.map((n) => {
    seq += 2;
    const id = generateIdNumber({ areaCode: '370899', birthDate: '1980-01-01', sequence: seq, sex: 'male' });
    return `${n},${id},东关社区,第一网格`;
  });
  return `姓名,身份证号,社区,网格\n${rows.join('\n')}\n`;
}

type View = { id: number; status: string; rowsValid: number; rowsInserted: number; error: { code: string } | null };

async function view(env: TestEnv, id: number): Promise<View> {
  const res = await env.as('shequ', { method: 'GET', url: `/api/people/imports/${id}` });
  return res.json().import as View;
}

/** Waits until the import is no longer running (a job of another "server" is not awaited by whenImportSettled). */
async function settled(env: TestEnv, id: number): Promise<View> {
  await whenImportSettled(id);
  for (;;) {
    const v = await view(env, id);
    if (v.status !== 'running') return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function validated(env: TestEnv, names: string[]): Promise<number> {
  const res = await env.as('shequ', {
    method: 'POST',
    url: '/api/people/imports',
    ...form(csvOf(names), env.ids.community!),
  });
  expect(res.statusCode).toBe(202);
  const id = res.json().import.id as number;
  expect(await settled(env, id)).toMatchObject({ status: 'validated', rowsValid: names.length });
  return id;
}

const stored = async (env: TestEnv, names: string[]) =>
  (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents WHERE name = ANY($1)', [names]))[0]!.n;
const audited = async (env: TestEnv, id: number) =>
  (
    await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'people.import' AND target_id = $1::text`,
      [String(id)],
    )
  )[0]!.n;

describeEachDb('people import as jobs, across a restart', (env) => {
  it('checks and commits over the API as jobs', async () => {
    const names = ['任务甲', '任务乙'];
    const id = await validated(env, names);
    const res = await env.as('shequ', { method: 'POST', url: `/api/people/imports/${id}/commit` });
    expect(res.statusCode).toBe(202);
    expect(await settled(env, id)).toMatchObject({ status: 'committed', rowsInserted: 2 });
    expect(await stored(env, names)).toBe(2);
  });

  it('a commit cut short by a dead server runs again on the next one and is written exactly once', async () => {
    const names = ['重启甲', '重启乙', '重启丙'];
    const id = await validated(env, names);
    // The dead server had claimed the commit and fetched its job; its transaction died with it.
    expect(await repo.claimForCommit(env.db, id)).toBe(true);
    expect(await stored(env, names)).toBe(0);
    const { userId } = await principalOf(env.db, 'shequ');
    // The job, returned to the queue (or expired), runs on the server that is up now.
    await env.jobs.send(IMPORT_JOB, { importId: id, phase: 'commit', userId });
    expect(await settled(env, id)).toMatchObject({ status: 'committed', rowsInserted: 3 });
    expect(await stored(env, names)).toBe(3);
    // The same job again (the dead server's copy expiring later): nothing more happens.
    await env.jobs.send(IMPORT_JOB, { importId: id, phase: 'commit', userId });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await view(env, id)).toMatchObject({ status: 'committed', rowsInserted: 3 });
    expect(await stored(env, names)).toBe(3);
    expect(await audited(env, id)).toBe(1);
  });

  it('ends failed as interrupted, nothing written, and "run again" repeats it from the kept upload', async () => {
    const names = ['中断甲', '中断乙'];
    const id = await validated(env, names);
    const { userId } = await principalOf(env.db, 'shequ');
    expect(await repo.claimForCommit(env.db, id)).toBe(true);
    // What the next server's housekeeping does with an import nobody runs any more.
    await repo.failInterrupted(env.db, {
      staleBefore: null,
      live: [],
      error: JSON.stringify({ code: 'IMPORT_INTERRUPTED', params: { phase: 'commit' } }),
    });
    expect(await view(env, id)).toMatchObject({ status: 'failed', error: { code: 'IMPORT_INTERRUPTED' } });
    expect(await stored(env, names)).toBe(0);
    // A late copy of the old job finds it over and leaves it alone.
    await env.jobs.send(IMPORT_JOB, { importId: id, phase: 'commit', userId });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await view(env, id)).toMatchObject({ status: 'failed' });
    expect(await stored(env, names)).toBe(0);

    // Only an import cut short runs again (not a validated one).
    const other = await validated(env, ['中断丙']);
    const refused = await env.as('shequ', { method: 'POST', url: `/api/people/imports/${other}/rerun` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('IMPORT_NOT_RERUNNABLE');

    const again = await env.as('shequ', { method: 'POST', url: `/api/people/imports/${id}/rerun` });
    expect(again.statusCode).toBe(202);
    expect(again.json().import).toMatchObject({ id, status: 'running' });
    expect(await settled(env, id)).toMatchObject({ status: 'committed', rowsInserted: 2 });
    expect(await stored(env, names)).toBe(2);
    expect(await audited(env, id)).toBe(1);
    const twice = await env.as('shequ', { method: 'POST', url: `/api/people/imports/${id}/rerun` });
    expect(twice.json().code).toBe('IMPORT_NOT_RERUNNABLE');
  });
});
