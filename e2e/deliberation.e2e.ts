import type { APIRequestContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './server.js';
import { browserSession, signInOnPhone } from './session.js';

const session = browserSession({ pageTimeoutMs: 30_000 });
const PHONE = { width: 390, height: 844 };

type Api = APIRequestContext;
type Topic = {
  id: number;
  title: string;
  votes: { id: number; rule: string; secrecy: string; options: { id: number; label: string }[] }[];
};

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

describe('a vote on the phone (议事协商)', () => {
  it('jumin votes on the demo topic, a second ballot is refused, results show once a worker closes the vote', async () => {
    const origin = { origin: session.server().url };
    const jumin = await apiAs('jumin');
    const list = await json<{ items: { id: number; title: string }[]; verified: boolean }>(
      await jumin.get('/api/me/deliberation/topics'),
    );
    expect(list.verified, 'the demo makes jumin verified').toBe(true);
    const summary = list.items.find((t) => t.title === '小区停车位重新划线')!;
    expect(summary, 'the demo topic').toBeTruthy();
    const topic = await json<Topic>(await jumin.get(`/api/me/deliberation/topics/${summary.id}`));
    const vote = topic.votes[0]!;
    expect(vote).toMatchObject({ rule: 'per_household', secrecy: 'secret' });

    // ---- jumin on the phone: 议事协商 → the topic → 同意 → 投票 ----
    const phone = await session.openPage(PHONE, true);
    await signInOnPhone(phone, 'jumin');
    await phone.getByTestId('m-entry-deliberation').click();
    await phone.waitForURL('**/m/deliberation');
    await expect.poll(async () => phone.getByTestId('m-verify-state').textContent()).toBe('已认证');
    await phone.getByTestId(`m-topic-${topic.id}`).click();
    await phone.waitForURL(`**/m/deliberation/topics/${topic.id}`);
    const card = phone.getByTestId(`m-vote-${vote.id}`);
    await card.getByText('同意', { exact: true }).click();
    await card.getByTestId('m-cast').click();
    await card.getByTestId('m-voted').waitFor();
    // a secret vote shows no results while it runs
    expect(await card.getByTestId('m-results').count()).toBe(0);

    // ---- a second ballot from the same household is refused ----
    const again = await jumin.post(`/api/me/deliberation/votes/${vote.id}/ballots`, {
      data: { optionId: vote.options[1]!.id },
      headers: origin,
    });
    expect(again.status()).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('DELIB_ALREADY_VOTED');

    // ---- the community worker closes the vote; jumin's page shows the results ----
    const worker = await apiAs('shequ');
    await json(await worker.post(`/api/deliberation/votes/${vote.id}/close`, { headers: origin }));
    await phone.reload();
    const results = phone.getByTestId(`m-vote-${vote.id}`).getByTestId('m-results');
    await results.waitFor();
    expect(await results.textContent()).toContain('同意：1');
    expect(await results.textContent()).toContain('已投 1');
  });
});
