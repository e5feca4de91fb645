/**
 * Activities (健步走, 合唱, 垃圾分类, 志愿服务 …): organisers (volunteers.manage over the activity's place) publish,
 * change and cancel them, see the sign-ups, mark attendance and show the rotating check-in QR; residents sign up,
 * withdraw and check in through /api/me/activities. After an activity ends, `creditEndedActivities` (job
 * volunteers.credit) credits each attendee once and marks the rest no-show.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { send } from '../../platform/notify/notify.service.js';
import { findNodeById, nodePathInScope } from '../org/org.service.js';
import { creditByRule, earningAccount } from '../points/earning.service.js';
import { issuerAccount, postTransfer } from '../points/ledger.repo.js';
import {
  type ActivityState,
  checkinQrValue,
  checkinRefusal,
  currentCheckinCode,
  placesLeft,
  type SignupState,
  signupRefusal,
  verifyCheckinCode,
  withdrawRefusal,
} from './activities.logic.js';
import { ACTIVITY_TYPE_CODES } from './skills.js';
import type {
  Activity,
  ActivityCreate,
  ActivityListQuery,
  ActivityPage,
  ActivityPatch,
  Attendance,
  CheckinBody,
  CheckinCode,
  MyActivitiesQuery,
  MyActivity,
  Signup,
} from './volunteers.schemas.js';
import { ownResident } from './volunteers.service.js';

export type ActivitiesDeps = { db: Db };

export const ACTIVITY_NOTIFY = {
  credited: 'volunteers.activity_credited',
  cancelled: 'volunteers.activity_cancelled',
} as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type ActivityRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  team_id: number | null;
  title: string;
  description: string | null;
  activity_type: string;
  place: string;
  starts_at: Date;
  ends_at: Date;
  capacity: number | null;
  reward_currency: Activity['rewardCurrency'];
  reward_amount: number | null;
  checkin_secret: string;
  status: Activity['status'];
  credited_at: Date | null;
  signed_up: number;
  checked_in: number;
};

const ACTIVITY_SELECT = `SELECT a.id, a.county_id, a.node_id, a.node_path, n.name AS node_name, a.team_id, a.title,
    a.description, a.activity_type, a.place, a.starts_at, a.ends_at, a.capacity, a.reward_currency, a.reward_amount,
    a.checkin_secret, a.status, a.credited_at,
    (SELECT count(*)::int FROM activity_signups s WHERE s.activity_id = a.id AND s.status IN ('signed_up', 'attended', 'no_show')) AS signed_up,
    (SELECT count(*)::int FROM activity_signups s WHERE s.activity_id = a.id AND s.checked_in_at IS NOT NULL
       AND s.status <> 'cancelled') AS checked_in
  FROM activities a JOIN org_nodes n ON n.id = a.node_id`;

function state(a: ActivityRow): ActivityState {
  return {
    status: a.status,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    capacity: a.capacity === null ? null : Number(a.capacity),
    taken: Number(a.signed_up),
  };
}

/** What an organiser may change, as the audit records it before and after. */
const EDITABLE = [
  'title',
  'description',
  'activityType',
  'place',
  'startsAt',
  'endsAt',
  'capacity',
  'rewardCurrency',
  'rewardAmount',
  'teamId',
] as const;
type Editable = Pick<Activity, (typeof EDITABLE)[number]>;

function editable(a: Activity): Editable {
  return Object.fromEntries(EDITABLE.map((k) => [k, a[k]])) as Editable;
}

function toActivity(a: ActivityRow): Activity {
  return {
    id: Number(a.id),
    nodeId: Number(a.node_id),
    nodeName: a.node_name,
    teamId: a.team_id === null ? null : Number(a.team_id),
    title: a.title,
    description: a.description,
    activityType: a.activity_type,
    place: a.place,
    startsAt: a.starts_at.toISOString(),
    endsAt: a.ends_at.toISOString(),
    capacity: a.capacity === null ? null : Number(a.capacity),
    rewardCurrency: a.reward_currency,
    rewardAmount: a.reward_amount === null ? null : Number(a.reward_amount),
    status: a.status,
    creditedAt: iso(a.credited_at),
    signedUp: Number(a.signed_up),
    checkedIn: Number(a.checked_in),
    placesLeft: a.status === 'published' ? placesLeft(state(a)) : 0,
  };
}

async function findActivity(q: Queryable, id: number, lock = false): Promise<ActivityRow | undefined> {
  if (lock) await q.query('SELECT id FROM activities WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<ActivityRow>(`${ACTIVITY_SELECT} WHERE a.id = $1`, [id]);
  return r;
}

/** An activity the caller may read (else 404) and organise (else 403). */
async function activityFor(q: Queryable, ctx: Ctx, id: number, manage: boolean, lock = false): Promise<ActivityRow> {
  const a = await findActivity(q, id, lock);
  if (!a || !can(ctx.principal, 'volunteers.read', a.node_path)) throw new AppError('ACTIVITY_NOT_FOUND');
  if (manage && !can(ctx.principal, 'volunteers.manage', a.node_path)) throw new AppError('FORBIDDEN');
  return a;
}

function refuse(code: ReturnType<typeof signupRefusal>): void {
  if (code !== null) throw new AppError(code);
}

function checkType(t: string | undefined): void {
  if (t !== undefined && !(ACTIVITY_TYPE_CODES as readonly string[]).includes(t))
    throw new AppError('ACTIVITY_TYPE_UNKNOWN', { field: 'activityType' });
}

async function checkTeam(q: Queryable, ctx: Ctx, teamId: number | null | undefined): Promise<void> {
  if (teamId === undefined || teamId === null) return;
  const [t] = await q.query<{ node_path: string }>('SELECT node_path FROM volunteer_teams WHERE id = $1', [teamId]);
  if (!t || !can(ctx.principal, 'volunteers.read', t.node_path))
    throw new AppError('VOLUNTEER_TEAM_NOT_FOUND', { field: 'teamId' });
}

// ---------------------------------------------------------------------------------------------------------------
// Organisers

export async function listActivities(deps: ActivitiesDeps, ctx: Ctx, query: ActivityListQuery): Promise<ActivityPage> {
  assertPermission(ctx.principal, 'volunteers.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 'a.node_path')];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (query.nodeId !== undefined) {
    const nodePath = await nodePathInScope(deps.db, ctx, 'volunteers.read', query.nodeId);
    add((n) => `a.node_path LIKE $${n} || '%'`, nodePath);
  }
  if (query.status !== undefined) add((n) => `a.status = $${n}`, query.status);
  if (query.from !== undefined) add((n) => `a.ends_at >= $${n}`, new Date(query.from));
  if (query.to !== undefined) add((n) => `a.starts_at < $${n}`, new Date(query.to));
  const filter = where.join(' AND ');
  const pageSize = query.pageSize ?? 20;
  const page = query.page ?? 1;
  const [total] = await deps.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM activities a WHERE ${filter}`,
    params,
  );
  const rows = await deps.db.query<ActivityRow>(
    `${ACTIVITY_SELECT} WHERE ${filter} ORDER BY a.starts_at DESC, a.id DESC
      LIMIT ${Number(pageSize)} OFFSET ${Number((page - 1) * pageSize)}`,
    params,
  );
  return { items: rows.map(toActivity), total: Number(total?.n ?? 0) };
}

export async function getActivity(deps: ActivitiesDeps, ctx: Ctx, id: number): Promise<Activity> {
  assertPermission(ctx.principal, 'volunteers.read');
  return toActivity(await activityFor(deps.db, ctx, id, false));
}

/** @throws ORG_NODE_NOT_FOUND, OUT_OF_SCOPE, ACTIVITY_TYPE_UNKNOWN, ACTIVITY_TIMES_INVALID, VOLUNTEER_TEAM_NOT_FOUND */
export async function createActivity(deps: ActivitiesDeps, ctx: Ctx, body: ActivityCreate): Promise<Activity> {
  assertPermission(ctx.principal, 'volunteers.manage');
  checkType(body.activityType);
  const startsAt = new Date(body.startsAt);
  const endsAt = new Date(body.endsAt);
  if (endsAt.getTime() <= startsAt.getTime()) throw new AppError('ACTIVITY_TIMES_INVALID', { field: 'endsAt' });
  return deps.db.transaction(async (tx) => {
    const node = await findNodeById(tx, body.nodeId);
    if (!node || node.status !== 'active' || !can(ctx.principal, 'volunteers.read', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    if (!can(ctx.principal, 'volunteers.manage', node.path)) throw new AppError('OUT_OF_SCOPE', { field: 'nodeId' });
    await checkTeam(tx, ctx, body.teamId);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO activities (county_id, node_id, node_path, team_id, title, description, activity_type, place,
         starts_at, ends_at, capacity, reward_currency, reward_amount, checkin_secret, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
      [
        node.county_id,
        node.id,
        node.path,
        body.teamId ?? null,
        body.title,
        body.description ?? null,
        body.activityType,
        body.place,
        startsAt,
        endsAt,
        body.capacity ?? null,
        body.rewardCurrency ?? 'points',
        body.rewardAmount ?? null,
        randomBytes(24).toString('hex'),
        ctx.principal.userId || null,
      ],
    );
    const a = (await findActivity(tx, Number(row!.id)))!;
    await recordAudit(tx, ctx, {
      action: 'activity.create',
      targetType: 'activity',
      targetId: a.id,
      targetLabel: a.title,
      scopePath: a.node_path,
      countyId: Number(a.county_id),
      after: {
        title: a.title,
        activityType: a.activity_type,
        startsAt: a.starts_at.toISOString(),
        endsAt: a.ends_at.toISOString(),
        capacity: a.capacity,
        reward: a.reward_amount === null ? 'by rule' : `${a.reward_amount} ${a.reward_currency}`,
      },
    });
    return toActivity(a);
  });
}

/** Changes a published activity. @throws ACTIVITY_NOT_FOUND, ACTIVITY_CANCELLED, ACTIVITY_ENDED, ACTIVITY_CAPACITY_BELOW_SIGNUPS */
export async function updateActivity(
  deps: ActivitiesDeps,
  ctx: Ctx,
  id: number,
  body: ActivityPatch,
): Promise<Activity> {
  assertPermission(ctx.principal, 'volunteers.manage');
  checkType(body.activityType);
  return deps.db.transaction(async (tx) => {
    const a = await activityFor(tx, ctx, id, true, true);
    if (a.status === 'cancelled') throw new AppError('ACTIVITY_CANCELLED');
    if (a.status === 'ended') throw new AppError('ACTIVITY_ENDED');
    await checkTeam(tx, ctx, body.teamId);
    const startsAt = body.startsAt !== undefined ? new Date(body.startsAt) : a.starts_at;
    const endsAt = body.endsAt !== undefined ? new Date(body.endsAt) : a.ends_at;
    if (endsAt.getTime() <= startsAt.getTime())
      throw new AppError('ACTIVITY_TIMES_INVALID', { field: body.endsAt !== undefined ? 'endsAt' : 'startsAt' });
    const capacity = body.capacity !== undefined ? body.capacity : a.capacity;
    if (capacity !== null && capacity < Number(a.signed_up))
      throw new AppError('ACTIVITY_CAPACITY_BELOW_SIGNUPS', {
        field: 'capacity',
        params: { taken: Number(a.signed_up) },
      });
    const before = editable(toActivity(a));
    const after = {
      title: body.title ?? a.title,
      description: body.description !== undefined ? body.description : a.description,
      activityType: body.activityType ?? a.activity_type,
      place: body.place ?? a.place,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      capacity,
      rewardCurrency: body.rewardCurrency ?? a.reward_currency,
      rewardAmount: body.rewardAmount !== undefined ? body.rewardAmount : before.rewardAmount,
      teamId: body.teamId !== undefined ? body.teamId : before.teamId,
    };
    await tx.query(
      `UPDATE activities SET title = $2, description = $3, activity_type = $4, place = $5, starts_at = $6, ends_at = $7,
         capacity = $8, reward_currency = $9, reward_amount = $10, team_id = $11, version = version + 1,
         updated_at = now() WHERE id = $1`,
      [
        id,
        after.title,
        after.description,
        after.activityType,
        after.place,
        startsAt,
        endsAt,
        after.capacity,
        after.rewardCurrency,
        after.rewardAmount,
        after.teamId,
      ],
    );
    await recordAudit(tx, ctx, {
      action: 'activity.update',
      targetType: 'activity',
      targetId: id,
      targetLabel: after.title,
      scopePath: a.node_path,
      countyId: Number(a.county_id),
      before,
      after,
    });
    return toActivity((await findActivity(tx, id))!);
  });
}

/** Cancels a published activity and tells those signed up. @throws ACTIVITY_CANCELLED, ACTIVITY_ENDED */
export async function cancelActivity(deps: ActivitiesDeps, ctx: Ctx, id: number): Promise<Activity> {
  assertPermission(ctx.principal, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const a = await activityFor(tx, ctx, id, true, true);
    if (a.status === 'cancelled') throw new AppError('ACTIVITY_CANCELLED');
    if (a.status === 'ended') throw new AppError('ACTIVITY_ENDED');
    await tx.query(
      "UPDATE activities SET status = 'cancelled', version = version + 1, updated_at = now() WHERE id = $1",
      [id],
    );
    const users = await signupUsers(tx, id, ['signed_up']);
    await send(tx, users, ACTIVITY_NOTIFY.cancelled, { activityId: id, title: a.title, nodePath: a.node_path });
    await recordAudit(tx, ctx, {
      action: 'activity.cancel',
      targetType: 'activity',
      targetId: id,
      targetLabel: a.title,
      scopePath: a.node_path,
      countyId: Number(a.county_id),
      before: { status: a.status },
      after: { status: 'cancelled', notified: users.length },
    });
    return toActivity((await findActivity(tx, id))!);
  });
}

/** The accounts of those with a sign-up in one of `statuses` (their own account, or the one linked to them). */
async function signupUsers(q: Queryable, activityId: number, statuses: string[]): Promise<number[]> {
  const rows = await q.query<{ uid: number }>(
    `SELECT COALESCE(s.user_id, (SELECT u.id FROM users u WHERE u.resident_id = s.resident_id LIMIT 1)) AS uid
       FROM activity_signups s WHERE s.activity_id = $1 AND s.status = ANY ($2)`,
    [activityId, statuses],
  );
  return rows.filter((r) => r.uid !== null).map((r) => Number(r.uid));
}

type SignupRow = {
  resident_id: number;
  name: string;
  status: Signup['status'];
  signed_up_at: Date;
  checked_in_at: Date | null;
  checkin_method: 'qr' | 'organiser' | null;
  amount: number | null;
};

function toSignup(r: SignupRow): Signup {
  return {
    residentId: Number(r.resident_id),
    name: r.name,
    status: r.status,
    signedUpAt: r.signed_up_at.toISOString(),
    checkedInAt: iso(r.checked_in_at),
    checkinMethod: r.checkin_method,
    credited: r.amount === null ? null : Number(r.amount),
  };
}

export async function listSignups(deps: ActivitiesDeps, ctx: Ctx, id: number): Promise<{ items: Signup[] }> {
  assertPermission(ctx.principal, 'volunteers.read');
  await activityFor(deps.db, ctx, id, false);
  const rows = await deps.db.query<SignupRow>(
    `SELECT s.resident_id, r.name, s.status, s.signed_up_at, s.checked_in_at, s.checkin_method, t.amount
       FROM activity_signups s JOIN residents r ON r.id = s.resident_id
       LEFT JOIN ledger_transfers t ON t.id = s.transfer_id
      WHERE s.activity_id = $1 ORDER BY s.status = 'cancelled', s.signed_up_at`,
    [id],
  );
  return { items: rows.map(toSignup) };
}

/** The organiser marks a sign-up present or absent (before the activity is credited). @throws ACTIVITY_SIGNUP_NOT_FOUND */
export async function markAttendance(deps: ActivitiesDeps, ctx: Ctx, id: number, body: Attendance): Promise<Signup> {
  assertPermission(ctx.principal, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const a = await activityFor(tx, ctx, id, true, true);
    if (a.status === 'cancelled') throw new AppError('ACTIVITY_CANCELLED');
    if (a.status === 'ended') throw new AppError('ACTIVITY_ENDED');
    const [s] = await tx.query<{ status: string; checked_in_at: Date | null; name: string }>(
      `SELECT s.status, s.checked_in_at, r.name FROM activity_signups s JOIN residents r ON r.id = s.resident_id
        WHERE s.activity_id = $1 AND s.resident_id = $2`,
      [id, body.residentId],
    );
    if (!s || s.status !== 'signed_up') throw new AppError('ACTIVITY_SIGNUP_NOT_FOUND', { field: 'residentId' });
    if (body.attended)
      await tx.query(
        `UPDATE activity_signups SET checked_in_at = COALESCE(checked_in_at, now()),
           checkin_method = COALESCE(checkin_method, 'organiser'), checked_in_by = COALESCE(checked_in_by, $3)
         WHERE activity_id = $1 AND resident_id = $2`,
        [id, body.residentId, ctx.principal.userId || null],
      );
    else
      await tx.query(
        `UPDATE activity_signups SET checked_in_at = NULL, checkin_method = NULL, checked_in_by = NULL
          WHERE activity_id = $1 AND resident_id = $2`,
        [id, body.residentId],
      );
    await recordAudit(tx, ctx, {
      action: 'activity.attendance',
      targetType: 'activity',
      targetId: id,
      targetLabel: `${a.title} / ${s.name}`,
      scopePath: a.node_path,
      countyId: Number(a.county_id),
      before: { residentId: body.residentId, attended: s.checked_in_at !== null },
      after: { residentId: body.residentId, attended: body.attended },
    });
    const [row] = await tx.query<SignupRow>(
      `SELECT s.resident_id, r.name, s.status, s.signed_up_at, s.checked_in_at, s.checkin_method, NULL::bigint AS amount
         FROM activity_signups s JOIN residents r ON r.id = s.resident_id WHERE s.activity_id = $1 AND s.resident_id = $2`,
      [id, body.residentId],
    );
    return toSignup(row!);
  });
}

/** The code the organiser's screen shows now (volunteers.manage). @throws ACTIVITY_CANCELLED, ACTIVITY_ENDED */
export async function checkinCode(deps: ActivitiesDeps, ctx: Ctx, id: number, now = new Date()): Promise<CheckinCode> {
  assertPermission(ctx.principal, 'volunteers.manage');
  const a = await activityFor(deps.db, ctx, id, true);
  if (a.status === 'cancelled') throw new AppError('ACTIVITY_CANCELLED');
  if (a.status === 'ended') throw new AppError('ACTIVITY_ENDED');
  const { code, expiresAt } = currentCheckinCode(a.checkin_secret, Number(a.id), now);
  return { code, qr: checkinQrValue(Number(a.id), code), expiresAt: expiresAt.toISOString() };
}

// ---------------------------------------------------------------------------------------------------------------
// The resident's own

type MyRow = ActivityRow & {
  my_status: MyActivity['myStatus'];
  my_checked_in_at: Date | null;
  my_amount: number | null;
};

function toMine(r: MyRow): MyActivity {
  return {
    ...toActivity(r),
    myStatus: r.my_status,
    checkedInAt: iso(r.my_checked_in_at),
    credited: r.my_amount === null ? null : Number(r.my_amount),
  };
}

const MINE_SELECT = ACTIVITY_SELECT.replace(
  'FROM activities a',
  `, s.status AS my_status, s.checked_in_at AS my_checked_in_at, t.amount AS my_amount
  FROM activities a LEFT JOIN activity_signups s ON s.activity_id = a.id AND s.resident_id = $1
  LEFT JOIN ledger_transfers t ON t.id = s.transfer_id`,
);

/**
 * open: published activities not yet ended at the resident's place or above it (their grid, community, street,
 * county), soonest first; mine: those they signed up for, newest first. @throws LEDGER_NO_RESIDENT
 */
export async function myActivities(
  deps: ActivitiesDeps,
  ctx: Ctx,
  query: MyActivitiesQuery,
): Promise<{ items: MyActivity[] }> {
  const me = await ownResident(deps.db, ctx);
  const rows =
    (query.scope ?? 'open') === 'open'
      ? await deps.db.query<MyRow>(
          `${MINE_SELECT} WHERE a.status = 'published' AND a.ends_at > now() AND $2 LIKE a.node_path || '%'
            ORDER BY a.starts_at, a.id LIMIT 100`,
          [me.id, me.nodePath],
        )
      : await deps.db.query<MyRow>(
          `${MINE_SELECT} WHERE s.resident_id IS NOT NULL AND s.status <> 'cancelled'
            ORDER BY a.starts_at DESC, a.id DESC LIMIT 100`,
          [me.id],
        );
  return { items: rows.map(toMine) };
}

/** An activity the resident may see: published or past, at their place or above it; else 404. */
async function myActivity(q: Queryable, residentId: number, nodePath: string, id: number, lock = false) {
  if (lock) await q.query('SELECT id FROM activities WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<MyRow>(`${MINE_SELECT} WHERE a.id = $2`, [residentId, id]);
  if (!r || !(nodePath.startsWith(r.node_path) || r.my_status !== null)) throw new AppError('ACTIVITY_NOT_FOUND');
  return r;
}

export async function getMyActivity(deps: ActivitiesDeps, ctx: Ctx, id: number): Promise<MyActivity> {
  const me = await ownResident(deps.db, ctx);
  return toMine(await myActivity(deps.db, me.id, me.nodePath, id));
}

/**
 * Signs the resident up (again, after withdrawing). The activity row is locked, so the last place goes once.
 * @throws LEDGER_NO_RESIDENT, ACTIVITY_NOT_FOUND, ACTIVITY_FULL, ACTIVITY_ALREADY_SIGNED_UP, ACTIVITY_SIGNUP_CLOSED,
 *   ACTIVITY_CANCELLED, ACTIVITY_ENDED
 */
export async function signUp(deps: ActivitiesDeps, ctx: Ctx, id: number, now = new Date()): Promise<MyActivity> {
  return deps.db.transaction(async (tx) => {
    const me = await ownResident(tx, ctx);
    const a = await myActivity(tx, me.id, me.nodePath, id, true);
    refuse(signupRefusal(state(a), a.my_status as SignupState, now));
    await tx.query(
      `INSERT INTO activity_signups (activity_id, resident_id, user_id, signed_up_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (activity_id, resident_id) DO UPDATE SET status = 'signed_up', user_id = EXCLUDED.user_id,
         signed_up_at = EXCLUDED.signed_up_at, checked_in_at = NULL, checkin_method = NULL, checked_in_by = NULL`,
      [id, me.id, ctx.principal.userId, now],
    );
    await recordAudit(tx, ctx, {
      action: 'activity.signup',
      targetType: 'activity',
      targetId: id,
      targetLabel: `${a.title} / ${me.name}`,
      scopePath: me.nodePath,
      countyId: me.countyId,
      after: { residentId: me.id, status: 'signed_up' },
    });
    return toMine(await myActivity(tx, me.id, me.nodePath, id));
  });
}

/** Withdraws the resident's sign-up before the start. @throws ACTIVITY_NOT_SIGNED_UP, ACTIVITY_SIGNUP_CLOSED … */
export async function withdraw(deps: ActivitiesDeps, ctx: Ctx, id: number, now = new Date()): Promise<MyActivity> {
  return deps.db.transaction(async (tx) => {
    const me = await ownResident(tx, ctx);
    const a = await myActivity(tx, me.id, me.nodePath, id, true);
    refuse(withdrawRefusal(state(a), a.my_status as SignupState, now));
    await tx.query(
      "UPDATE activity_signups SET status = 'cancelled', checked_in_at = NULL WHERE activity_id = $1 AND resident_id = $2",
      [id, me.id],
    );
    await recordAudit(tx, ctx, {
      action: 'activity.withdraw',
      targetType: 'activity',
      targetId: id,
      targetLabel: `${a.title} / ${me.name}`,
      scopePath: me.nodePath,
      countyId: me.countyId,
      before: { residentId: me.id, status: 'signed_up' },
      after: { residentId: me.id, status: 'cancelled' },
    });
    return toMine(await myActivity(tx, me.id, me.nodePath, id));
  });
}

/**
 * Checks the resident in with the code scanned from the organiser's QR (or typed); again once checked in: no change.
 * @throws ACTIVITY_CHECKIN_NOT_SIGNED_UP, ACTIVITY_CHECKIN_NOT_OPEN, ACTIVITY_CHECKIN_CLOSED,
 *   ACTIVITY_CHECKIN_CODE_INVALID, ACTIVITY_CANCELLED
 */
export async function checkIn(
  deps: ActivitiesDeps,
  ctx: Ctx,
  id: number,
  body: CheckinBody,
  now = new Date(),
): Promise<MyActivity> {
  return deps.db.transaction(async (tx) => {
    const me = await ownResident(tx, ctx);
    const a = await myActivity(tx, me.id, me.nodePath, id, true);
    refuse(checkinRefusal(state(a), a.my_status as SignupState, now));
    if (!verifyCheckinCode(a.checkin_secret, Number(a.id), body.code, now))
      throw new AppError('ACTIVITY_CHECKIN_CODE_INVALID', { field: 'code' });
    if (a.my_checked_in_at !== null) return toMine(a);
    await tx.query(
      `UPDATE activity_signups SET checked_in_at = $3, checkin_method = 'qr', checked_in_by = $4
        WHERE activity_id = $1 AND resident_id = $2`,
      [id, me.id, now, ctx.principal.userId],
    );
    await recordAudit(tx, ctx, {
      action: 'activity.checkin',
      targetType: 'activity',
      targetId: id,
      targetLabel: `${a.title} / ${me.name}`,
      scopePath: me.nodePath,
      countyId: me.countyId,
      after: { residentId: me.id, checkedInAt: now.toISOString(), method: 'qr' },
    });
    return toMine(await myActivity(tx, me.id, me.nodePath, id));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Crediting (job volunteers.credit)

export type CreditSummary = { activities: number; credited: number; noShows: number };

/**
 * Every published activity whose end has passed: each checked-in sign-up is credited once (an explicit reward from
 * the resident's community issuer to their earning account, kind 'earn', key `activity:<id>:resident:<rid>`; or
 * by the earning rule of the activity type) and marked attended; the others no-show; the activity ends. One
 * transaction per activity (the row locked, skipped when another worker holds it), so a run may repeat safely.
 */
export async function creditEndedActivities(db: Db, now = new Date()): Promise<CreditSummary> {
  const due = await db.query<{ id: number }>(
    "SELECT id FROM activities WHERE status = 'published' AND ends_at <= $1 ORDER BY ends_at, id LIMIT 200",
    [now],
  );
  const sum: CreditSummary = { activities: 0, credited: 0, noShows: 0 };
  for (const { id } of due) {
    const r = await db.transaction(async (tx) => {
      const [locked] = await tx.query<{ id: number }>(
        "SELECT id FROM activities WHERE id = $1 AND status = 'published' FOR UPDATE SKIP LOCKED",
        [id],
      );
      if (!locked) return null;
      const a = (await findActivity(tx, Number(id)))!;
      const signups = await tx.query<{ resident_id: number; checked_in_at: Date | null }>(
        "SELECT resident_id, checked_in_at FROM activity_signups WHERE activity_id = $1 AND status = 'signed_up' ORDER BY resident_id",
        [id],
      );
      let credited = 0;
      let noShows = 0;
      const told: { residentId: number; amount: number; currency: string }[] = [];
      for (const s of signups) {
        const rid = Number(s.resident_id);
        if (s.checked_in_at === null) {
          await tx.query("UPDATE activity_signups SET status = 'no_show' WHERE activity_id = $1 AND resident_id = $2", [
            id,
            rid,
          ]);
          noShows++;
          continue;
        }
        const key = `activity:${id}:resident:${rid}`;
        const reason = `参加活动：${a.title}`.slice(0, 200);
        let transferId: number | null = null;
        let amount = 0;
        let currency: string = a.reward_currency;
        if (a.reward_amount !== null) {
          const to = await earningAccount(tx, rid, a.reward_currency);
          const from = await issuerAccount(tx, to.communityId, a.reward_currency);
          const t = await postTransfer(tx, {
            currency: a.reward_currency,
            kind: 'earn',
            amount: Number(a.reward_amount),
            fromAccountId: from.id,
            toAccountId: to.id,
            reason,
            sourceType: 'activity',
            sourceId: Number(id),
            idempotencyKey: key,
          });
          transferId = t.id;
          amount = Number(a.reward_amount);
        } else {
          const c = await creditByRule(tx, {
            trigger: 'activity',
            activityType: a.activity_type,
            residentId: rid,
            idempotencyKey: key,
            reason,
            sourceType: 'activity',
            sourceId: Number(id),
            now,
          });
          transferId = c.transferId;
          amount = c.amount;
          if (transferId !== null) {
            const [t] = await tx.query<{ currency: string }>('SELECT currency FROM ledger_transfers WHERE id = $1', [
              transferId,
            ]);
            currency = t?.currency ?? currency;
          }
        }
        await tx.query(
          "UPDATE activity_signups SET status = 'attended', transfer_id = $3 WHERE activity_id = $1 AND resident_id = $2",
          [id, rid, transferId],
        );
        credited++;
        told.push({ residentId: rid, amount, currency });
      }
      await tx.query(
        "UPDATE activities SET status = 'ended', credited_at = $2, version = version + 1, updated_at = now() WHERE id = $1",
        [id, now],
      );
      for (const t of told) {
        const users = await tx.query<{ uid: number | null }>(
          `SELECT COALESCE(s.user_id, (SELECT u.id FROM users u WHERE u.resident_id = s.resident_id LIMIT 1)) AS uid
             FROM activity_signups s WHERE s.activity_id = $1 AND s.resident_id = $2`,
          [id, t.residentId],
        );
        const uid = users[0]?.uid;
        if (uid === null || uid === undefined) continue;
        await send(tx, [Number(uid)], ACTIVITY_NOTIFY.credited, {
          activityId: Number(id),
          title: a.title,
          amount: t.currency === 'hours' ? t.amount / 60 : t.amount,
          unit: t.currency === 'hours' ? '小时' : t.currency === 'conduct' ? '文明分' : '积分',
          unitEn: t.currency === 'hours' ? 'hours' : t.currency === 'conduct' ? 'conduct points' : 'points',
        });
      }
      return { credited, noShows };
    });
    if (r) {
      sum.activities++;
      sum.credited += r.credited;
      sum.noShows += r.noShows;
    }
  }
  return sum;
}
