import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoDeliberation } from '../../demo/demo-deliberation.js';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildUser } from '../../test/factories.js';
import { buildHousehold, buildResident } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type { MyVerification, TopicDetail, TopicPage } from './deliberation.schemas.js';

type Err = { code?: string; field?: string; message?: string };

describeEachDb('deliberation: verification, topics, comments, proposals, votes, meetings', (env: TestEnv) => {
  const post = (user: string, url: string, payload: Record<string, unknown> = {}) =>
    env.as(user, { method: 'POST', url, payload });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });
  const patch = (user: string, url: string, payload: Record<string, unknown>) =>
    env.as(user, { method: 'PATCH', url, payload });

  // a household of two adults and a minor at the demo unit, each with an account; a resident of another community
  const people: Record<string, { id: number; idNumber: string; phone: string; user: string }> = {};
  let household = 0;

  async function resident(key: string, o: { nodeId: number; birthDate: string; householdId?: number; name: string }) {
    const phone = `139${String(10000000 + Object.keys(people).length * 7919).slice(-8)}`;
    const r = await buildResident(env, { ...o, phone, relation: 'head' });
    const u = await buildUser(env, { password: DEMO_PASSWORD, nodeId: o.nodeId, displayName: o.name });
    people[key] = { id: r.id, idNumber: r.idNumber, phone, user: u.username };
  }

  async function verify(key: string, approver = 'louzhang') {
    const p = people[key]!;
    const asked = await post(p.user, '/api/me/verification', { idNumber: p.idNumber, phone: p.phone });
    expect(asked.statusCode, asked.body).toBe(201);
    const id = (asked.json() as MyVerification).request!.id;
    const ok = await post(approver, `/api/deliberation/verifications/${id}/decision`, { decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
  }

  beforeAll(async () => {
    const unit = env.ids.unit!;
    household = (await buildHousehold(env, { nodeId: unit })).id;
    await resident('mother', { nodeId: unit, birthDate: '1980-03-02', householdId: household, name: '王秀兰' });
    await resident('father', { nodeId: unit, birthDate: '1979-05-06', householdId: household, name: '刘建国' });
    await resident('teen', { nodeId: unit, birthDate: '2015-01-01', householdId: household, name: '刘小明' });
    await resident('single', { nodeId: unit, birthDate: '1990-01-01', name: '孙单身' });
  });

  describe('verification', () => {
    it('refuses a request whose phone does not match, naming the field, and changes nothing', async () => {
      const p = people.mother!;
      const res = await post(p.user, '/api/me/verification', { idNumber: p.idNumber, phone: '13800000000' });
      expect(res.statusCode).toBe(400);
      expect((res.json() as Err).code).toBe('DELIB_VERIFY_NO_MATCH');
      expect((res.json() as Err).field).toBe('idNumber');
      const mine = (await get(p.user, '/api/me/verification')).json() as MyVerification;
      expect(mine).toMatchObject({ linked: false, verified: false, request: null });
      const bad = await post(p.user, '/api/me/verification', { idNumber: '370323199001011235', phone: p.phone });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'ID_NUMBER_INVALID', field: 'idNumber' });
    });

    it('a matching request waits in the building leader’s tasks; an outsider cannot decide it; approval binds', async () => {
      const p = people.mother!;
      const asked = await post(p.user, '/api/me/verification', { idNumber: p.idNumber, phone: p.phone });
      expect(asked.statusCode, asked.body).toBe(201);
      const mine = asked.json() as MyVerification;
      expect(mine.request?.status).toBe('pending');
      expect(mine.verified).toBe(false);
      // a second request while one waits
      const again = await post(p.user, '/api/me/verification', { idNumber: p.idNumber, phone: p.phone });
      expect((again.json() as Err).code).toBe('DELIB_VERIFY_PENDING');

      const tasks = (await get('louzhang', '/api/tasks/mine?kind=verification')).json() as {
        items: { key: string; title: string }[];
      };
      expect(tasks.items.map((t) => t.key)).toContain(`verification:${mine.request!.id}`);
      // the resident (no residents.verify) cannot decide
      const self = await post(p.user, `/api/deliberation/verifications/${mine.request!.id}/decision`, {
        decision: 'approve',
      });
      expect(self.statusCode).toBe(403);
      const ok = await post('louzhang', `/api/deliberation/verifications/${mine.request!.id}/decision`, {
        decision: 'approve',
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'approved', residentId: p.id });
      const after = (await get(p.user, '/api/me/verification')).json() as MyVerification;
      expect(after).toMatchObject({ linked: true, verified: true });
      const [audit] = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'resident_verification' AND target_id = $1 ORDER BY id DESC LIMIT 1`,
        [String(mine.request!.id)],
      );
      expect(audit?.action).toBe('delib.verification.approve');
      const twice = await post('louzhang', `/api/deliberation/verifications/${mine.request!.id}/decision`, {
        decision: 'reject',
      });
      expect((twice.json() as Err).code).toBe('DELIB_VERIFICATION_DECIDED');
    });

    it('verifies the rest of the household, the minor and the single resident', async () => {
      await verify('father', 'wangge');
      await verify('teen');
      await verify('single');
    });
  });

  let topicId = 0;
  let voteSecret = 0;
  let voteOpen = 0;

  describe('topics', () => {
    it('an unverified account may read but not raise; a verified resident’s topic waits for approval', async () => {
      const outsider = await buildUser(env, { password: DEMO_PASSWORD });
      const refused = await post(outsider.username, '/api/me/deliberation/topics', {
        nodeId: env.ids.building,
        title: '加装电梯',
      });
      expect(refused.statusCode).toBe(403);
      expect((refused.json() as Err).code).toBe('DELIB_NOT_VERIFIED');

      const raised = await post(people.mother!.user, '/api/me/deliberation/topics', {
        nodeId: env.ids.building,
        title: '1号楼加装电梯',
        body: '老人上下楼不便',
      });
      expect(raised.statusCode, raised.body).toBe(201);
      const t = raised.json() as TopicDetail;
      expect(t.status).toBe('pending');
      topicId = t.id;
      // not yet visible to the neighbours
      const list = (await get(people.father!.user, '/api/me/deliberation/topics')).json() as TopicPage;
      expect(list.items.map((i) => i.id)).not.toContain(topicId);
      // outside the building's area: not found for another grid's worker would need one; the resident has no manage
      const self = await post(people.mother!.user, `/api/deliberation/topics/${topicId}/review`, {
        decision: 'approve',
      });
      expect(self.statusCode).toBe(403);
      const ok = await post('shequ', `/api/deliberation/topics/${topicId}/review`, { decision: 'approve' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as TopicDetail).status).toBe('open');
      const list2 = (await get(people.father!.user, '/api/me/deliberation/topics')).json() as TopicPage;
      expect(list2.items.map((i) => i.id)).toContain(topicId);
      expect(list2.verified).toBe(true);
    });

    it('refuses a resident’s topic for a node that is not above their home', async () => {
      const res = await post(people.mother!.user, '/api/me/deliberation/topics', {
        nodeId: env.ids.unit,
        title: 'x',
      });
      expect((res.json() as Err).code).toBe('DELIB_NODE_KIND');
    });
  });

  describe('discussion and moderation', () => {
    it('threads replies; three reports hide a comment pending review; a worker restores it (audited)', async () => {
      const c1 = await post(people.mother!.user, `/api/me/deliberation/topics/${topicId}/comments`, {
        body: '支持加装电梯',
      });
      expect(c1.statusCode, c1.body).toBe(201);
      const first = (c1.json() as TopicDetail).comments.at(-1)!;
      const reply = await post(people.father!.user, `/api/me/deliberation/topics/${topicId}/comments`, {
        body: '同意',
        parentId: first.id,
      });
      const replied = (reply.json() as TopicDetail).comments.find((c) => c.parentId === first.id);
      expect(replied?.body).toBe('同意');
      // author names are masked for residents, in full for workers
      expect(replied?.authorName).not.toBe('刘建国');
      const worker = (await get('shequ', `/api/deliberation/topics/${topicId}`)).json() as TopicDetail;
      expect(worker.comments.find((c) => c.id === replied!.id)?.authorName).toBe('刘建国');

      for (const k of ['father', 'teen']) {
        const r = await post(people[k]!.user, `/api/me/deliberation/comments/${first.id}/reports`, { reason: '广告' });
        expect(r.json()).toMatchObject({ hidden: false });
      }
      const dup = await post(people.father!.user, `/api/me/deliberation/comments/${first.id}/reports`, {});
      expect((dup.json() as Err).code).toBe('DELIB_ALREADY_REPORTED');
      const third = await post(people.single!.user, `/api/me/deliberation/comments/${first.id}/reports`, {});
      expect(third.json()).toMatchObject({ hidden: true });
      const seen = (await get(people.father!.user, `/api/me/deliberation/topics/${topicId}`)).json() as TopicDetail;
      expect(seen.comments.find((c) => c.id === first.id)).toMatchObject({ status: 'hidden', body: '' });

      const queue = (await get('shequ', '/api/deliberation/moderation')).json() as { items: { id: number }[] };
      expect(queue.items.map((i) => i.id)).toContain(first.id);
      const outsider = await get('louzhang', '/api/deliberation/moderation');
      expect(outsider.statusCode).toBe(403);
      const restored = await post('shequ', `/api/deliberation/comments/${first.id}/moderation`, { action: 'restore' });
      expect(restored.json()).toMatchObject({ status: 'visible' });
      const again = await post('shequ', `/api/deliberation/comments/${first.id}/moderation`, { action: 'restore' });
      expect((again.json() as Err).code).toBe('DELIB_MODERATION_STATE');
      const [audit] = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'delib_comment' AND target_id = $1 ORDER BY id DESC LIMIT 1`,
        [String(first.id)],
      );
      expect(audit?.action).toBe('delib.comment.moderate');
    });
  });

  describe('proposals', () => {
    it('one support per verified resident', async () => {
      const made = await post(people.mother!.user, `/api/me/deliberation/topics/${topicId}/proposals`, {
        title: '每户分摊费用',
      });
      expect(made.statusCode, made.body).toBe(201);
      const p = (made.json() as TopicDetail).proposals[0]!;
      const s1 = await post(people.father!.user, `/api/me/deliberation/proposals/${p.id}/supports`);
      expect(s1.statusCode, s1.body).toBe(201);
      expect((s1.json() as TopicDetail).proposals[0]).toMatchObject({ supports: 1, supportedByMe: true });
      const s2 = await post(people.father!.user, `/api/me/deliberation/proposals/${p.id}/supports`);
      expect((s2.json() as Err).code).toBe('DELIB_ALREADY_SUPPORTED');
    });
  });

  describe('votes', () => {
    it('opens a secret per-household vote and an open per-resident vote; bad input names the field', async () => {
      const deadline = new Date(Date.now() + 86_400_000).toISOString();
      const bad = await post('shequ', `/api/deliberation/topics/${topicId}/votes`, {
        question: '是否加装',
        options: ['同意', '同意'],
        rule: 'per_household',
        secrecy: 'secret',
        quorumKind: 'share',
        quorumValue: 0.5,
        deadline,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'DELIB_OPTIONS_DUPLICATE', field: 'options' });
      const res = await post('shequ', `/api/deliberation/topics/${topicId}/votes`, {
        question: '是否加装电梯',
        options: ['同意', '不同意'],
        rule: 'per_household',
        secrecy: 'secret',
        quorumKind: 'share',
        quorumValue: 0.5,
        deadline,
      });
      expect(res.statusCode, res.body).toBe(201);
      voteSecret = (res.json() as TopicDetail).votes.at(-1)!.id;
      const res2 = await post('shequ', `/api/deliberation/topics/${topicId}/votes`, {
        question: '选择施工时间',
        options: ['春季', '秋季'],
        rule: 'per_household',
        secrecy: 'open',
        quorumKind: 'count',
        quorumValue: 1,
        deadline,
      });
      voteOpen = (res2.json() as TopicDetail).votes.at(-1)!.id;
    });

    it('secret per household: the first member counts, the second is refused without a name; results after close', async () => {
      const topic = (await get(people.mother!.user, `/api/me/deliberation/topics/${topicId}`)).json() as TopicDetail;
      const vote = topic.votes.find((v) => v.id === voteSecret)!;
      const yes = vote.options[0]!.id;
      expect(vote.results).toBeNull();
      const first = await post(people.mother!.user, `/api/me/deliberation/votes/${voteSecret}/ballots`, {
        optionId: yes,
      });
      expect(first.statusCode, first.body).toBe(201);
      const again = await post(people.mother!.user, `/api/me/deliberation/votes/${voteSecret}/ballots`, {
        optionId: yes,
      });
      expect((again.json() as Err).code).toBe('DELIB_ALREADY_VOTED');
      const second = await post(people.father!.user, `/api/me/deliberation/votes/${voteSecret}/ballots`, {
        optionId: yes,
      });
      expect(second.statusCode).toBe(409);
      expect((second.json() as Err).code).toBe('DELIB_HOUSEHOLD_VOTED');
      expect((second.json() as Err).message).not.toContain('王秀兰');
      // a minor is not a voter
      const teen = await post(people.teen!.user, `/api/me/deliberation/votes/${voteSecret}/ballots`, { optionId: yes });
      expect((teen.json() as Err).code).toBe('DELIB_NOT_ELIGIBLE');
      // the secret ballot carries no voter
      const [b] = await env.db.query<{ n: number; named: number }>(
        'SELECT count(*)::int AS n, count(resident_id)::int AS named FROM delib_ballots WHERE vote_id = $1',
        [voteSecret],
      );
      expect(b).toEqual({ n: 1, named: 0 });
      const mine = (
        (await get(people.mother!.user, `/api/me/deliberation/topics/${topicId}`)).json() as TopicDetail
      ).votes.find((v) => v.id === voteSecret)!;
      expect(mine.myBallot).toEqual({ voted: true, optionId: null });
      expect(mine.results).toBeNull();
      // a worker sees no results either while it runs
      const w = ((await get('shequ', `/api/deliberation/topics/${topicId}`)).json() as TopicDetail).votes.find(
        (v) => v.id === voteSecret,
      )!;
      expect(w.results).toBeNull();

      const closed = await post('shequ', `/api/deliberation/votes/${voteSecret}/close`);
      expect(closed.statusCode, closed.body).toBe(200);
      const after = (closed.json() as TopicDetail).votes.find((v) => v.id === voteSecret)!;
      // eligible households: this household (two adults) and the single resident → 2; share 0.5 → 1 needed
      expect(after.results).toMatchObject({ turnout: 1, eligible: 2, required: 1, quorumMet: true, final: true });
      expect(after.results!.counts.find((c) => c.optionId === yes)?.count).toBe(1);
      const late = await post(people.single!.user, `/api/me/deliberation/votes/${voteSecret}/ballots`, {
        optionId: yes,
      });
      expect((late.json() as Err).code).toBe('DELIB_VOTE_OVER');
    });

    it('open per household: a second member is told who voted; running results are shown', async () => {
      const topic = (await get(people.father!.user, `/api/me/deliberation/topics/${topicId}`)).json() as TopicDetail;
      const vote = topic.votes.find((v) => v.id === voteOpen)!;
      const opt = vote.options[1]!.id;
      const first = await post(people.father!.user, `/api/me/deliberation/votes/${voteOpen}/ballots`, {
        optionId: opt,
      });
      expect(first.statusCode, first.body).toBe(201);
      const second = await post(people.mother!.user, `/api/me/deliberation/votes/${voteOpen}/ballots`, {
        optionId: opt,
      });
      expect(second.json()).toMatchObject({ code: 'DELIB_HOUSEHOLD_VOTED_BY' });
      expect((second.json() as Err).message).toContain('刘建国');
      const bad = await post(people.single!.user, `/api/me/deliberation/votes/${voteOpen}/ballots`, {
        optionId: 999999,
      });
      expect(bad.json()).toMatchObject({ code: 'DELIB_OPTION_NOT_FOUND', field: 'optionId' });
      const seen = (
        (await get(people.father!.user, `/api/me/deliberation/topics/${topicId}`)).json() as TopicDetail
      ).votes.find((v) => v.id === voteOpen)!;
      expect(seen.myBallot).toEqual({ voted: true, optionId: opt });
      expect(seen.results).toMatchObject({ turnout: 1, final: false });
    });

    it('refuses ballots after the deadline', async () => {
      await env.db.query(`UPDATE delib_votes SET deadline = now() - interval '1 minute' WHERE id = $1`, [voteOpen]);
      const late = await post(people.single!.user, `/api/me/deliberation/votes/${voteOpen}/ballots`, {
        optionId: 1,
      });
      expect((late.json() as Err).code).toBe('DELIB_VOTE_OVER');
      const seen = (
        (await get(people.single!.user, `/api/me/deliberation/topics/${topicId}`)).json() as TopicDetail
      ).votes.find((v) => v.id === voteOpen)!;
      expect(seen).toMatchObject({ over: true });
      expect(seen.results).toMatchObject({ final: true, quorumMet: true });
    });
  });

  describe('three-party meetings', () => {
    it('records a meeting, tracks a decision to closure with a case, and publishes its outcome on the topic', async () => {
      const made = await post('shequ', '/api/deliberation/meetings', {
        nodeId: env.ids.community,
        topicId,
        title: '加装电梯三方协调会',
        heldAt: new Date().toISOString(),
        agenda: '1. 费用分摊 2. 施工时间',
        attendance: [
          { party: 'committee', name: '李社工', present: true },
          { party: 'property', name: '物业王经理', present: true },
          { party: 'owners', name: '业委会刘主任', present: false },
        ],
      });
      expect(made.statusCode, made.body).toBe(201);
      const meeting = made.json() as { id: number; attendance: unknown[] };
      expect(meeting.attendance).toHaveLength(3);
      const louzhang = await post('louzhang', `/api/deliberation/meetings/${meeting.id}/decisions`, { title: 'x' });
      expect(louzhang.statusCode).toBe(403);
      const withDecision = await post('shequ', `/api/deliberation/meetings/${meeting.id}/decisions`, {
        title: '物业10日内提交施工方案',
        owner: '物业公司',
      });
      expect(withDecision.statusCode, withDecision.body).toBe(201);
      const decision = (withDecision.json() as { decisionList: { id: number; status: string }[] }).decisionList[0]!;
      expect(decision.status).toBe('open');
      const [cat] = await env.db.query<{ id: number }>(
        'SELECT id FROM case_categories WHERE active ORDER BY id LIMIT 1',
      );
      const withCase = await post('shequ', `/api/deliberation/decisions/${decision.id}/case`, {
        categoryId: cat!.id,
        nodeId: env.ids.grid,
      });
      expect(withCase.statusCode, withCase.body).toBe(201);
      expect(withCase.json()).toMatchObject({ status: 'in_progress' });
      expect((withCase.json() as { caseNo: string | null }).caseNo).toBeTruthy();
      const back = await patch('shequ', `/api/deliberation/decisions/${decision.id}`, { status: 'in_progress' });
      expect(back.json()).toMatchObject({ code: 'DELIB_DECISION_STATE', field: 'status' });
      const done = await patch('shequ', `/api/deliberation/decisions/${decision.id}`, {
        status: 'done',
        outcome: '施工方案已公示',
      });
      expect(done.json()).toMatchObject({ status: 'done', outcome: '施工方案已公示' });
      const seen = (await get(people.single!.user, `/api/me/deliberation/topics/${topicId}`)).json() as TopicDetail;
      expect(seen.decisions.find((d) => d.id === decision.id)).toMatchObject({
        status: 'done',
        outcome: '施工方案已公示',
      });
    });
  });

  describe('demo', () => {
    it('loads once: jumin verified, the parking vote open to jumin, a hidden comment in the queue', async () => {
      const r = await buildResident(env, { nodeId: env.ids.unit!, birthDate: '1970-02-03', relation: 'head' });
      await env.db.query(`UPDATE users SET resident_id = $1 WHERE username = 'jumin'`, [r.id]);
      expect(await loadDemoDeliberation(env.db)).toEqual({ topics: 4 });
      expect(await loadDemoDeliberation(env.db)).toBeNull();
      const list = (await get('jumin', '/api/me/deliberation/topics')).json() as TopicPage;
      expect(list.verified).toBe(true);
      const parking = list.items.find((t) => t.title === '小区停车位重新划线')!;
      expect(parking.openVotes).toBe(1);
      const topic = (await get('jumin', `/api/me/deliberation/topics/${parking.id}`)).json() as TopicDetail;
      const cast = await post('jumin', `/api/me/deliberation/votes/${topic.votes[0]!.id}/ballots`, {
        optionId: topic.votes[0]!.options[0]!.id,
      });
      expect(cast.statusCode, cast.body).toBe(201);
      const queue = (await get('shequ', '/api/deliberation/moderation')).json() as { items: { body: string }[] };
      expect(queue.items.map((i) => i.body)).toContain('低价代办加装电梯，联系微信XXXX');
    });
  });
});
