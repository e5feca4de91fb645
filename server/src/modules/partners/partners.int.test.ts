import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildUser } from '../../test/factories.js';
import { multipartFile } from '../../test/registry-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type { Claim, Delivery, Org, PartnerMe, PartnerProjects, Project, PublicNotice } from './partners.schemas.js';

type Err = { code?: string; field?: string };

const CODE = '91350100M000100Y43';
const CODE2 = '91110000802100433B';
const PHONE = '13912345678';

describeEachDb('partners (红色合伙人)', (env: TestEnv) => {
  const post = (user: string | null, url: string, payload: Record<string, unknown> = {}) =>
    env.as(user, { method: 'POST', url, payload });
  const get = (user: string | null, url: string) => env.as(user, { method: 'GET', url });
  const count = async (table: string) =>
    Number((await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
  /** Rows of the partner tables and the ledger, to show a refusal changed nothing. */
  const snapshot = async () =>
    JSON.stringify(
      await env.db.query(
        `SELECT (SELECT json_agg(o ORDER BY id) FROM (SELECT id, status, name FROM partner_orgs) o) AS orgs,
                (SELECT json_agg(c ORDER BY id) FROM (SELECT id, status, plan FROM partner_claims) c) AS claims,
                (SELECT json_agg(d ORDER BY id) FROM (SELECT id, status, transfer_id FROM partner_deliveries) d) AS ds,
                (SELECT count(*) FROM ledger_transfers) AS transfers,
                (SELECT json_agg(a ORDER BY id) FROM (SELECT id, balance FROM ledger_accounts) a) AS accounts`,
      ),
    );
  const upload = async (user: string) => {
    const data = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#a33' } })
      .jpeg()
      .toBuffer();
    const res = await env.as(user, { method: 'POST', url: '/api/files', ...multipartFile('p.jpg', data) });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { items: { id: string }[] }).items[0]!.id;
  };

  let partner2: { username: string; id: number };
  let org: Org;
  let org2: Org;
  let project: Project;
  let claim: Claim;

  beforeAll(async () => {
    const u = await buildUser(env, { role: 'partner', nodeId: env.ids.community!, password: DEMO_PASSWORD });
    partner2 = { username: u.username, id: u.id };
  });

  describe('organisations', () => {
    it('refuses a credit code with a wrong check character, naming the field, and stores nothing', async () => {
      const res = await post('huoban', '/api/partner/apply', {
        name: '泗源爱心协会',
        kind: 'social_org',
        creditCode: '91350100M000100Y44',
        contact: '李爱心',
        phone: PHONE,
        nodeId: env.ids.street,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json() as Err).toMatchObject({ code: 'PARTNER_CREDIT_CODE_INVALID', field: 'creditCode' });
      expect(await count('partner_orgs')).toBe(0);
    });

    it('refuses a place outside the partner’s post', async () => {
      const res = await post(partner2.username, '/api/partner/apply', {
        name: '东关诊所',
        kind: 'institution',
        creditCode: CODE2,
        contact: '王医生',
        phone: PHONE,
        nodeId: env.ids.street,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json() as Err).toMatchObject({ code: 'PARTNER_NODE_INVALID', field: 'nodeId' });
      expect(await count('partner_orgs')).toBe(0);
    });

    it('applies (status applied, the account a member, the phone sealed and masked), once', async () => {
      const res = await post('huoban', '/api/partner/apply', {
        name: '泗源爱心协会',
        kind: 'social_org',
        creditCode: '91350100m000100y43',
        contact: '李爱心',
        phone: PHONE,
        description: '助老助残',
        nodeId: env.ids.street,
      });
      expect(res.statusCode, res.body).toBe(201);
      org = res.json() as Org;
      expect(org).toMatchObject({
        name: '泗源爱心协会',
        status: 'applied',
        creditCode: CODE,
        phoneMasked: '139****5678',
        nodeId: env.ids.street,
        members: 1,
      });
      const [row] = await env.db.query<{ phone_sealed: Uint8Array }>(
        'SELECT phone_sealed FROM partner_orgs WHERE id = $1',
        [org.id],
      );
      expect(Buffer.from(row!.phone_sealed).toString('utf8')).not.toContain(PHONE);
      expect(env.pii.open(row!.phone_sealed)).toBe(PHONE);
      const me = (await get('huoban', '/api/partner/me')).json() as PartnerMe;
      expect(me.orgs.map((o) => o.id)).toEqual([org.id]);
      expect(me.nodes.map((n) => n.id)).toContain(env.ids.community);

      const before = await snapshot();
      const again = await post('huoban', '/api/partner/apply', {
        name: '另一个协会',
        kind: 'other',
        creditCode: CODE2,
        contact: '李爱心',
        phone: PHONE,
        nodeId: env.ids.street,
      });
      expect(again.statusCode).toBe(409);
      expect((again.json() as Err).code).toBe('PARTNER_ALREADY_APPLIED');
      expect(await snapshot()).toBe(before);
    });

    it('is reviewed at its own level: the community worker gets not found, the street admin approves', async () => {
      const before = await snapshot();
      const low = await post('shequ', `/api/partners/orgs/${org.id}/review`, { decision: 'approve' });
      expect(low.statusCode).toBe(404);
      expect((low.json() as Err).code).toBe('PARTNER_ORG_NOT_FOUND');
      const resident = await post('jumin', `/api/partners/orgs/${org.id}/review`, { decision: 'approve' });
      expect(resident.statusCode).toBe(404);
      expect(await snapshot()).toBe(before);
      const list = (await get('shequ', '/api/partners/orgs')).json() as { items: Org[] };
      expect(list.items.map((o) => o.id)).not.toContain(org.id);

      const ok = await post('jiedao', `/api/partners/orgs/${org.id}/review`, { decision: 'approve', note: '材料齐全' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ id: org.id, status: 'approved', reviewNote: '材料齐全' });
      const twice = await post('jiedao', `/api/partners/orgs/${org.id}/review`, { decision: 'reject' });
      expect((twice.json() as Err).code).toBe('PARTNER_ORG_REVIEWED');
      const listed = (await get('jiedao', '/api/partners/orgs?status=approved')).json() as { items: Org[] };
      expect(listed.items.map((o) => o.id)).toContain(org.id);
    });

    it('a worker registers an organisation directly (approved) with a partner account as member', async () => {
      const res = await post('shequ', '/api/partners/orgs', {
        name: '东关诊所',
        kind: 'institution',
        creditCode: CODE2,
        contact: '王医生',
        phone: '0537-1234567',
        nodeId: env.ids.community,
        memberUserIds: [partner2.id],
      });
      expect(res.statusCode, res.body).toBe(201);
      org2 = res.json() as Org;
      expect(org2).toMatchObject({ status: 'approved', members: 1, nodeId: env.ids.community });
    });
  });

  describe('projects, claims, deliveries and the ledger credit', () => {
    it('a community worker publishes a project; a resident may not', async () => {
      const refused = await post('jumin', '/api/partners/projects', {
        title: '敬老院义务理发',
        category: 'elderly_care',
        nodeId: env.ids.community,
      });
      expect(refused.statusCode).toBe(403);
      expect(await count('partner_projects')).toBe(0);
      const res = await post('shequ', '/api/partners/projects', {
        title: '敬老院义务理发',
        category: 'elderly_care',
        nodeId: env.ids.community,
        maxClaims: 1,
        rewardPoints: 50,
      });
      expect(res.statusCode, res.body).toBe(201);
      project = res.json() as Project;
      expect(project).toMatchObject({ status: 'open', maxClaims: 1, rewardPoints: 50, activeClaims: 0 });
      const seen = (await get('huoban', '/api/partner/projects')).json() as PartnerProjects;
      expect(seen.items.find((p) => p.id === project.id)).toMatchObject({ claimedByMe: false, full: false });
    });

    it('an approved organisation claims; twice is refused, and a full project refuses another', async () => {
      const res = await post('huoban', `/api/partner/projects/${project.id}/claim`, { plan: '每月一次' });
      expect(res.statusCode, res.body).toBe(201);
      claim = res.json() as Claim;
      expect(claim).toMatchObject({ projectId: project.id, orgId: org.id, status: 'claimed', plan: '每月一次' });
      const before = await snapshot();
      const twice = await post('huoban', `/api/partner/projects/${project.id}/claim`, {});
      expect((twice.json() as Err).code).toBe('PARTNER_PROJECT_CLAIMED');
      const full = await post(partner2.username, `/api/partner/projects/${project.id}/claim`, {});
      expect(full.statusCode).toBe(409);
      expect((full.json() as Err).code).toBe('PARTNER_PROJECT_FULL');
      const worker = await post('shequ', `/api/partner/projects/${project.id}/claim`, {});
      expect(worker.statusCode).toBe(403);
      expect(await snapshot()).toBe(before);
    });

    it('a closed project refuses claims; an unapproved organisation may not claim', async () => {
      const p2 = (
        await post('shequ', '/api/partners/projects', {
          title: '环境整治',
          category: 'environment',
          nodeId: env.ids.community,
          maxClaims: 3,
        })
      ).json() as Project;
      await post('shequ', `/api/partners/projects/${p2.id}/close`);
      const before = await snapshot();
      const closed = await post(partner2.username, `/api/partner/projects/${p2.id}/claim`, {});
      expect((closed.json() as Err).code).toBe('PARTNER_PROJECT_CLOSED');
      await env.db.query(`UPDATE partner_orgs SET status = 'suspended' WHERE id = $1`, [org2.id]);
      const p3 = (
        await post('shequ', '/api/partners/projects', {
          title: '文化活动',
          category: 'culture',
          nodeId: env.ids.community,
        })
      ).json() as Project;
      const snap = await snapshot();
      const suspended = await post(partner2.username, `/api/partner/projects/${p3.id}/claim`, {});
      expect((suspended.json() as Err).code).toBe('PARTNER_NOT_APPROVED');
      expect(await snapshot()).toBe(snap);
      await env.db.query(`UPDATE partner_orgs SET status = 'approved' WHERE id = $1`, [org2.id]);
      const ok = await post(partner2.username, `/api/partner/projects/${p3.id}/claim`, {});
      expect(ok.statusCode, ok.body).toBe(201);
      expect(before).not.toBe(await snapshot());
      // withdrawn before any delivery, then claimed again
      const w = await post(partner2.username, `/api/partner/claims/${(ok.json() as Claim).id}/withdraw`);
      expect(w.json()).toMatchObject({ status: 'withdrawn' });
      const again = await post(partner2.username, `/api/partner/projects/${p3.id}/claim`, { plan: '再认领' });
      expect(again.json()).toMatchObject({ id: (ok.json() as Claim).id, status: 'claimed', plan: '再认领' });
    });

    it('records a delivery with photos; another partner’s claim is not found; a future day is refused', async () => {
      const before = await snapshot();
      const other = await post(partner2.username, `/api/partner/claims/${claim.id}/deliveries`, {
        deliveredOn: '2026-01-05',
        summary: '理发30人',
      });
      expect(other.statusCode).toBe(404);
      expect((other.json() as Err).code).toBe('PARTNER_CLAIM_NOT_FOUND');
      const future = await post('huoban', `/api/partner/claims/${claim.id}/deliveries`, {
        deliveredOn: '2099-01-01',
        summary: '理发30人',
      });
      expect(future.statusCode).toBe(400);
      expect((future.json() as Err).field).toBe('deliveredOn');
      expect(await snapshot()).toBe(before);

      const photo = await upload('huoban');
      const res = await post('huoban', `/api/partner/claims/${claim.id}/deliveries`, {
        deliveredOn: '2026-01-05',
        summary: '为敬老院30位老人义务理发',
        peopleServed: 30,
        photos: [photo],
      });
      expect(res.statusCode, res.body).toBe(201);
      const d = res.json() as Delivery;
      expect(d).toMatchObject({ status: 'submitted', peopleServed: 30, orgName: '泗源爱心协会' });
      expect(d.files.map((f) => f.id)).toEqual([photo]);
      // the community reads the photo; a resident does not
      expect((await get('shequ', `/api/files/${photo}/thumb`)).statusCode).toBe(200);
      expect((await get('jumin', `/api/files/${photo}/thumb`)).statusCode).toBe(404);
      // no withdrawal after a delivery
      const w = await post('huoban', `/api/partner/claims/${claim.id}/withdraw`);
      expect((w.json() as Err).code).toBe('PARTNER_CLAIM_CLOSED');

      // rejected: the claim goes back to claimed; a second delivery follows
      const rej = await post('shequ', `/api/partners/deliveries/${d.id}/review`, {
        decision: 'reject',
        note: '缺照片',
      });
      expect(rej.json()).toMatchObject({ status: 'rejected', reviewNote: '缺照片', transferId: null });
      expect((await get('huoban', '/api/partner/me')).json()).toMatchObject({
        claims: expect.arrayContaining([expect.objectContaining({ id: claim.id, status: 'claimed' })]),
      });
    });

    it('confirming credits the reward to the organisation from the community’s issuer, once', async () => {
      const d = (
        await post('huoban', `/api/partner/claims/${claim.id}/deliveries`, {
          deliveredOn: '2026-01-06',
          summary: '为敬老院30位老人义务理发（补充照片）',
          peopleServed: 30,
        })
      ).json() as Delivery;
      const before = await snapshot();
      const grid = await post('wangge', `/api/partners/deliveries/${d.id}/review`, { decision: 'confirm' });
      expect(grid.statusCode).toBe(404);
      expect((grid.json() as Err).code).toBe('PARTNER_DELIVERY_NOT_FOUND');
      const partner = await post('huoban', `/api/partners/deliveries/${d.id}/review`, { decision: 'confirm' });
      expect(partner.statusCode).toBe(404);
      expect(await snapshot()).toBe(before);

      const ok = await post('shequ', `/api/partners/deliveries/${d.id}/review`, { decision: 'confirm' });
      expect(ok.statusCode, ok.body).toBe(200);
      const confirmed = ok.json() as Delivery;
      expect(confirmed).toMatchObject({ status: 'confirmed', rewardPoints: 50 });
      const [t] = await env.db.query<{ kind: string; amount: number; idempotency_key: string; to_kind: string }>(
        `SELECT t.kind, t.amount, t.idempotency_key, a.kind AS to_kind, f.kind AS from_kind, f.community_id
           FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.to_account_id
           JOIN ledger_accounts f ON f.id = t.from_account_id WHERE t.id = $1`,
        [confirmed.transferId],
      );
      expect(t).toMatchObject({
        kind: 'earn',
        idempotency_key: `partner:delivery:${d.id}`,
        to_kind: 'organisation',
        from_kind: 'issuer',
        community_id: env.ids.community,
      });
      expect(Number(t!.amount)).toBe(50);
      const o = (await get('jiedao', `/api/partners/orgs/${org.id}`)).json() as Org;
      expect(o).toMatchObject({ pointsBalance: 50, confirmedDeliveries: 1 });
      const [sum] = await env.db.query<{ s: number }>(
        `SELECT sum(balance)::int AS s FROM ledger_accounts WHERE currency = 'points'`,
      );
      expect(Number(sum!.s)).toBe(0);

      const snap = await snapshot();
      const twice = await post('shequ', `/api/partners/deliveries/${d.id}/review`, { decision: 'confirm' });
      expect((twice.json() as Err).code).toBe('PARTNER_DELIVERY_REVIEWED');
      const more = await post('huoban', `/api/partner/claims/${claim.id}/deliveries`, {
        deliveredOn: '2026-01-07',
        summary: '再来一次',
      });
      expect((more.json() as Err).code).toBe('PARTNER_CLAIM_CLOSED');
      expect(await snapshot()).toBe(snap);
      const list = (await get('shequ', '/api/partners/deliveries?status=confirmed')).json() as { items: Delivery[] };
      expect(list.items.map((x) => x.id)).toEqual([d.id]);
    });
  });

  describe('the public notice', () => {
    it('anyone reads the area’s partners and confirmed work, with no personal data', async () => {
      const res = await get(null, `/api/public/partners?nodeId=${env.ids.community}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as PublicNotice;
      const mine = body.partners.find((p) => p.name === '泗源爱心协会')!;
      expect(mine.deliveries).toEqual([
        {
          projectTitle: '敬老院义务理发',
          category: 'elderly_care',
          deliveredOn: '2026-01-06',
          summary: '为敬老院30位老人义务理发（补充照片）',
          peopleServed: 30,
        },
      ]);
      expect(body.partners.map((p) => p.name)).toContain('东关诊所');
      for (const secret of [PHONE, '139****5678', '1234567', '李爱心', '王医生', CODE, CODE2, 'phone', 'contact']) {
        expect(res.body).not.toContain(secret);
      }
      const none = await get(null, '/api/public/partners?nodeId=999999');
      expect(none.statusCode).toBe(404);
    });
  });

  it('limits the public notice to 60 requests a minute per address', async () => {
    let last = 0;
    for (let i = 0; i < 70; i++) {
      last = (await get(null, `/api/public/partners?nodeId=${env.ids.community}`)).statusCode;
      if (last === 429) break;
    }
    expect(last).toBe(429);
  });
});
