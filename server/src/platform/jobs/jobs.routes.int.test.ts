import { Type } from 'typebox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { until } from '../../test/until.js';
import { createJobs, type Jobs } from './index.js';

type Item = {
  id: string;
  queue: string;
  state: string;
  payload: Record<string, unknown>;
  error: { message: string; stack: string | null } | null;
  retryCount: number;
  retryLimit: number;
};

describeEachDb('后台任务 console API', (env: TestEnv) => {
  let worker: Jobs;
  let failNext = true;

  beforeAll(async () => {
    // A server's worth of jobs beside the test env's own: one that fails until told otherwise.
    worker = createJobs(env.db, { pollingIntervalSeconds: 0.5 });
    worker.register({
      name: 'console.probe',
      schema: Type.Object({ caseId: Type.Integer(), note: Type.String() }),
      retryLimit: 0,
      handler: async (p) => {
        if (failNext) throw new Error(`webhook refused case ${p.caseId} for 13800138000`);
      },
    });
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
  });

  const get = (url: string, user = 'admin') => env.as(user, { method: 'GET', url });
  const post = (url: string, user = 'admin') => env.as(user, { method: 'POST', url });
  const job = async (id: string) => {
    const res = await get('/api/jobs?queue=console.probe&state=failed&pageSize=200');
    return (res.json().items as Item[]).find((i) => i.id === id);
  };

  it('lists the queues with counts, and failed jobs with their error, payloads without personal data', async () => {
    const id = (await worker.send('console.probe', { caseId: 42, note: '张三的电话 13800138000' }))!;
    await until(async () => (await job(id)) !== undefined, 'the job to fail');

    const queues = await get('/api/jobs/queues');
    expect(queues.statusCode).toBe(200);
    const probe = (queues.json().items as { name: string; counts: Record<string, number> }[]).find(
      (q) => q.name === 'console.probe',
    );
    expect(probe?.counts).toMatchObject({ failed: 1, active: 0, created: 0 });
    expect(queues.json().items.some((q: { name: string }) => q.name.startsWith('__pgboss__'))).toBe(false);

    const failed = await job(id);
    expect(failed).toMatchObject({
      queue: 'console.probe',
      state: 'failed',
      payload: { caseId: 42, note: '•••(17)' },
      error: { message: 'webhook refused case 42 for •••(11)' },
      retryCount: 0,
    });
    expect(JSON.stringify(failed)).not.toContain('13800138000');
    expect(JSON.stringify(failed)).not.toContain('张三');
  });

  it('runs a failed job again (audited); refuses a job that is not failed', async () => {
    const id = (await worker.send('console.probe', { caseId: 7, note: 'x' }))!;
    await until(async () => (await job(id)) !== undefined, 'the job to fail');
    failNext = false;
    const res = await post(`/api/jobs/${id}/retry`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, state: 'retry', retryLimit: 1 });
    await until(
      async () =>
        (await get('/api/jobs?queue=console.probe&state=completed')).json().items.some((i: Item) => i.id === id),
      'the retried job to complete',
    );
    const audit = await get('/api/audit?action=job.retry&pageSize=5');
    expect(audit.json().items[0]).toMatchObject({ action: 'job.retry', targetType: 'job', targetId: id });

    const again = await post(`/api/jobs/${id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('JOB_NOT_RETRYABLE');
    failNext = true;
  });

  it('cancels a queued job (audited); a finished one cannot be cancelled', async () => {
    const id = (await worker.send('console.probe', { caseId: 8, note: 'later' }, { startAfter: 3600 }))!;
    const res = await post(`/api/jobs/${id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, state: 'cancelled' });
    const listed = await get('/api/jobs?queue=console.probe&state=cancelled');
    expect(listed.json().items.map((i: Item) => i.id)).toContain(id);
    const audit = await get('/api/audit?action=job.cancel&pageSize=5');
    expect(audit.json().items[0]).toMatchObject({ action: 'job.cancel', targetId: id });
    const again = await post(`/api/jobs/${id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('JOB_NOT_CANCELLABLE');
  });

  it('answers 404 for an unknown job, 400 for a malformed id, 403 to anyone but the system administrator', async () => {
    const unknown = await post('/api/jobs/00000000-0000-4000-8000-000000000000/retry');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('JOB_NOT_FOUND');
    const malformed = await post('/api/jobs/42/retry');
    expect(malformed.statusCode).toBe(400);
    const street = await get('/api/jobs/queues', 'jiedao');
    expect(street.statusCode).toBe(403);
    expect(street.json().code).toBe('FORBIDDEN');
  });
});
