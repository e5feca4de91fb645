/**
 * Volunteer teams (志愿服务队, 服务队, 新业态移动网格员队) and enrolled volunteers. volunteers.read over a place lists what
 * lies there, volunteers.manage changes it; a team or volunteer outside the caller's read scope is "not found".
 * A resident enrols themself from the phone through /api/me/volunteer (their own record only).
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { findNodeById, nodePathInScope } from '../org/org.service.js';
import { isSkill } from './skills.js';
import type {
  MemberAdd,
  SelfEnrol,
  Team,
  TeamCreate,
  TeamDetail,
  TeamListQuery,
  TeamPatch,
  Volunteer,
  VolunteerEnrol,
  VolunteerListQuery,
  VolunteerPage,
  VolunteerPatch,
} from './volunteers.schemas.js';

export type VolunteersDeps = { db: Db };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The resident record the caller's account is linked to, or 409 LEDGER_NO_RESIDENT. */
export async function ownResident(
  q: Queryable,
  ctx: Ctx,
): Promise<{ id: number; name: string; nodePath: string; nodeId: number; countyId: number }> {
  const [r] = await q.query<{ id: number; name: string; node_path: string; node_id: number; county_id: number }>(
    `SELECT r.id, r.name, r.node_path, r.node_id, r.county_id
       FROM users u JOIN residents r ON r.id = u.resident_id WHERE u.id = $1`,
    [ctx.principal.userId],
  );
  if (!r) throw new AppError('LEDGER_NO_RESIDENT');
  return {
    id: Number(r.id),
    name: r.name,
    nodePath: r.node_path,
    nodeId: Number(r.node_id),
    countyId: Number(r.county_id),
  };
}

function checkSkills(skills: readonly string[] | undefined): void {
  for (const s of skills ?? []) {
    if (!isSkill(s)) throw new AppError('VOLUNTEER_SKILL_UNKNOWN', { field: 'skills', params: { skill: s } });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Teams

type TeamRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  name: string;
  kind: Team['kind'];
  description: string | null;
  leader_user_id: number | null;
  leader_name: string | null;
  active: boolean;
  members: number;
  created_at: Date;
};

const TEAM_SELECT = `SELECT t.id, t.county_id, t.node_id, t.node_path, n.name AS node_name, t.name, t.kind, t.description,
    t.leader_user_id, u.display_name AS leader_name, t.active, t.created_at,
    (SELECT count(*)::int FROM volunteer_team_members m WHERE m.team_id = t.id AND m.left_at IS NULL) AS members
  FROM volunteer_teams t JOIN org_nodes n ON n.id = t.node_id LEFT JOIN users u ON u.id = t.leader_user_id`;

function toTeam(r: TeamRow): Team {
  return {
    id: Number(r.id),
    nodeId: Number(r.node_id),
    nodeName: r.node_name,
    name: r.name,
    kind: r.kind,
    description: r.description,
    leaderUserId: r.leader_user_id === null ? null : Number(r.leader_user_id),
    leaderName: r.leader_name,
    active: r.active,
    members: Number(r.members),
    createdAt: r.created_at.toISOString(),
  };
}

async function findTeam(q: Queryable, id: number, lock = false): Promise<TeamRow | undefined> {
  if (lock) await q.query('SELECT id FROM volunteer_teams WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<TeamRow>(`${TEAM_SELECT} WHERE t.id = $1`, [id]);
  return r;
}

/** A team the caller may read (else 404) and manage (else 403). */
async function teamFor(q: Queryable, ctx: Ctx, id: number, manage: boolean, lock = false): Promise<TeamRow> {
  const t = await findTeam(q, id, lock);
  if (!t || !can(ctx.principal, 'volunteers.read', t.node_path)) throw new AppError('VOLUNTEER_TEAM_NOT_FOUND');
  if (manage && !can(ctx.principal, 'volunteers.manage', t.node_path)) throw new AppError('FORBIDDEN');
  return t;
}

async function teamDetail(q: Queryable, t: TeamRow): Promise<TeamDetail> {
  const members = await q.query<{
    resident_id: number;
    name: string;
    role: 'leader' | 'member';
    kind: Volunteer['kind'];
    joined_at: Date;
  }>(
    `SELECT m.resident_id, r.name, m.role, v.kind, m.joined_at
       FROM volunteer_team_members m JOIN volunteers v ON v.resident_id = m.resident_id
       JOIN residents r ON r.id = m.resident_id
      WHERE m.team_id = $1 AND m.left_at IS NULL ORDER BY m.role, m.joined_at`,
    [t.id],
  );
  return {
    ...toTeam(t),
    items: members.map((m) => ({
      residentId: Number(m.resident_id),
      name: m.name,
      role: m.role,
      kind: m.kind,
      joinedAt: m.joined_at.toISOString(),
    })),
  };
}

async function checkLeader(q: Queryable, userId: number | null | undefined): Promise<void> {
  if (userId === undefined || userId === null) return;
  const [u] = await q.query('SELECT id FROM users WHERE id = $1', [userId]);
  if (!u) throw new AppError('VOLUNTEER_USER_NOT_FOUND', { field: 'leaderUserId' });
}

/** Teams in the caller's volunteers.read area. @throws FORBIDDEN, ORG_NODE_NOT_FOUND */
export async function listTeams(deps: VolunteersDeps, ctx: Ctx, query: TeamListQuery): Promise<{ items: Team[] }> {
  assertPermission(ctx.principal, 'volunteers.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 't.node_path')];
  const params: unknown[] = [];
  if (query.nodeId !== undefined) {
    const nodePath = await nodePathInScope(deps.db, ctx, 'volunteers.read', query.nodeId);
    params.push(nodePath);
    where.push(`t.node_path LIKE $${params.length} || '%'`);
  }
  if (query.kind !== undefined) {
    params.push(query.kind);
    where.push(`t.kind = $${params.length}`);
  }
  if (query.active !== undefined) {
    params.push(query.active);
    where.push(`t.active = $${params.length}`);
  }
  const rows = await deps.db.query<TeamRow>(
    `${TEAM_SELECT} WHERE ${where.join(' AND ')} ORDER BY t.active DESC, t.id`,
    params,
  );
  return { items: rows.map(toTeam) };
}

export async function getTeam(deps: VolunteersDeps, ctx: Ctx, id: number): Promise<TeamDetail> {
  assertPermission(ctx.principal, 'volunteers.read');
  return teamDetail(deps.db, await teamFor(deps.db, ctx, id, false));
}

/** @throws FORBIDDEN, ORG_NODE_NOT_FOUND, OUT_OF_SCOPE, VOLUNTEER_USER_NOT_FOUND */
export async function createTeam(deps: VolunteersDeps, ctx: Ctx, body: TeamCreate): Promise<TeamDetail> {
  assertPermission(ctx.principal, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const node = await findNodeById(tx, body.nodeId);
    if (!node || node.status !== 'active' || !can(ctx.principal, 'volunteers.read', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    if (!can(ctx.principal, 'volunteers.manage', node.path)) throw new AppError('OUT_OF_SCOPE', { field: 'nodeId' });
    await checkLeader(tx, body.leaderUserId);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO volunteer_teams (county_id, node_id, node_path, name, kind, description, leader_user_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        node.county_id,
        node.id,
        node.path,
        body.name,
        body.kind ?? 'volunteer',
        body.description ?? null,
        body.leaderUserId ?? null,
        ctx.principal.userId || null,
      ],
    );
    const t = (await findTeam(tx, Number(row!.id)))!;
    await recordAudit(tx, ctx, {
      action: 'volunteer_team.create',
      targetType: 'volunteer_team',
      targetId: t.id,
      targetLabel: t.name,
      scopePath: t.node_path,
      countyId: Number(t.county_id),
      after: { name: t.name, kind: t.kind, nodeId: Number(t.node_id), leaderUserId: t.leader_user_id },
    });
    return teamDetail(tx, t);
  });
}

export async function updateTeam(deps: VolunteersDeps, ctx: Ctx, id: number, body: TeamPatch): Promise<TeamDetail> {
  assertPermission(ctx.principal, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const t = await teamFor(tx, ctx, id, true, true);
    await checkLeader(tx, body.leaderUserId);
    const next = {
      name: body.name ?? t.name,
      kind: body.kind ?? t.kind,
      description: body.description !== undefined ? body.description : t.description,
      leaderUserId: body.leaderUserId !== undefined ? body.leaderUserId : t.leader_user_id,
      active: body.active ?? t.active,
    };
    await tx.query(
      `UPDATE volunteer_teams SET name = $2, kind = $3, description = $4, leader_user_id = $5, active = $6,
         updated_at = now() WHERE id = $1`,
      [id, next.name, next.kind, next.description, next.leaderUserId, next.active],
    );
    await recordAudit(tx, ctx, {
      action: 'volunteer_team.update',
      targetType: 'volunteer_team',
      targetId: id,
      targetLabel: next.name,
      scopePath: t.node_path,
      countyId: Number(t.county_id),
      before: {
        name: t.name,
        kind: t.kind,
        description: t.description,
        leaderUserId: t.leader_user_id === null ? null : Number(t.leader_user_id),
        active: t.active,
      },
      after: next,
    });
    return teamDetail(tx, (await findTeam(tx, id))!);
  });
}

/** Adds (or re-adds) an enrolled volunteer of the caller's manage area. @throws VOLUNTEER_NOT_FOUND, VOLUNTEER_LEFT */
export async function addMember(deps: VolunteersDeps, ctx: Ctx, id: number, body: MemberAdd): Promise<TeamDetail> {
  assertPermission(ctx.principal, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const t = await teamFor(tx, ctx, id, true, true);
    const v = await findVolunteer(tx, body.residentId);
    if (!v || !can(ctx.principal, 'volunteers.read', v.node_path))
      throw new AppError('VOLUNTEER_NOT_FOUND', { field: 'residentId' });
    if (v.left_at !== null) throw new AppError('VOLUNTEER_LEFT', { field: 'residentId' });
    const role = body.role ?? 'member';
    await tx.query(
      `INSERT INTO volunteer_team_members (team_id, resident_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (team_id, resident_id) DO UPDATE SET role = EXCLUDED.role, left_at = NULL,
         joined_at = CASE WHEN volunteer_team_members.left_at IS NULL THEN volunteer_team_members.joined_at ELSE now() END`,
      [id, body.residentId, role],
    );
    await recordAudit(tx, ctx, {
      action: 'volunteer_team.member_add',
      targetType: 'volunteer_team',
      targetId: id,
      targetLabel: `${t.name} / ${v.name}`,
      scopePath: t.node_path,
      countyId: Number(t.county_id),
      after: { residentId: body.residentId, role },
    });
    return teamDetail(tx, (await findTeam(tx, id))!);
  });
}

/** @throws VOLUNTEER_MEMBER_NOT_FOUND */
export async function removeMember(
  deps: VolunteersDeps,
  ctx: Ctx,
  id: number,
  residentId: number,
): Promise<TeamDetail> {
  assertPermission(ctx.principal, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const t = await teamFor(tx, ctx, id, true, true);
    const rows = await tx.query<{ role: string }>(
      `UPDATE volunteer_team_members SET left_at = now()
        WHERE team_id = $1 AND resident_id = $2 AND left_at IS NULL RETURNING role`,
      [id, residentId],
    );
    if (rows.length === 0) throw new AppError('VOLUNTEER_MEMBER_NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'volunteer_team.member_remove',
      targetType: 'volunteer_team',
      targetId: id,
      targetLabel: t.name,
      scopePath: t.node_path,
      countyId: Number(t.county_id),
      before: { residentId, role: rows[0]!.role },
    });
    return teamDetail(tx, (await findTeam(tx, id))!);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Volunteers

type VolunteerRow = {
  resident_id: number;
  county_id: number;
  node_path: string;
  node_id: number;
  node_name: string;
  name: string;
  user_id: number | null;
  kind: Volunteer['kind'];
  skills: string[];
  available: boolean;
  enrolled_at: Date;
  left_at: Date | null;
  teams: string[] | null;
  attended: number;
  no_shows: number;
};

const VOLUNTEER_SELECT = `SELECT v.resident_id, v.county_id, v.node_path, r.node_id, n.name AS node_name, r.name,
    v.user_id, v.kind, v.skills, v.available, v.enrolled_at, v.left_at,
    ARRAY(SELECT t.name FROM volunteer_team_members m JOIN volunteer_teams t ON t.id = m.team_id
           WHERE m.resident_id = v.resident_id AND m.left_at IS NULL ORDER BY t.id) AS teams,
    (SELECT count(*)::int FROM activity_signups s WHERE s.resident_id = v.resident_id AND s.status = 'attended') AS attended,
    (SELECT count(*)::int FROM activity_signups s WHERE s.resident_id = v.resident_id AND s.status = 'no_show') AS no_shows
  FROM volunteers v JOIN residents r ON r.id = v.resident_id JOIN org_nodes n ON n.id = r.node_id`;

function toVolunteer(r: VolunteerRow): Volunteer {
  return {
    residentId: Number(r.resident_id),
    name: r.name,
    nodeId: Number(r.node_id),
    nodeName: r.node_name,
    userId: r.user_id === null ? null : Number(r.user_id),
    kind: r.kind,
    skills: r.skills,
    available: r.available,
    enrolledAt: r.enrolled_at.toISOString(),
    leftAt: iso(r.left_at),
    teams: r.teams ?? [],
    attended: Number(r.attended),
    noShows: Number(r.no_shows),
  };
}

async function findVolunteer(q: Queryable, residentId: number): Promise<VolunteerRow | undefined> {
  const [r] = await q.query<VolunteerRow>(`${VOLUNTEER_SELECT} WHERE v.resident_id = $1`, [residentId]);
  return r;
}

/** Volunteers of the caller's area with their teams and attendance (no-shows counted). */
export async function listVolunteers(
  deps: VolunteersDeps,
  ctx: Ctx,
  query: VolunteerListQuery,
): Promise<VolunteerPage> {
  assertPermission(ctx.principal, 'volunteers.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 'v.node_path')];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (query.nodeId !== undefined) {
    const nodePath = await nodePathInScope(deps.db, ctx, 'volunteers.read', query.nodeId);
    add((n) => `v.node_path LIKE $${n} || '%'`, nodePath);
  }
  if (query.kind !== undefined) add((n) => `v.kind = $${n}`, query.kind);
  if (query.skill !== undefined) add((n) => `$${n} = ANY (v.skills)`, query.skill);
  if (query.q)
    add((n) => `(r.name LIKE '%' || $${n} || '%' OR r.name_pinyin LIKE '%' || lower($${n}) || '%')`, query.q);
  if (!query.includeLeft) where.push('v.left_at IS NULL');
  const pageSize = query.pageSize ?? 20;
  const page = query.page ?? 1;
  const filter = where.join(' AND ');
  const [total] = await deps.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM volunteers v JOIN residents r ON r.id = v.resident_id WHERE ${filter}`,
    params,
  );
  const rows = await deps.db.query<VolunteerRow>(
    `${VOLUNTEER_SELECT} WHERE ${filter} ORDER BY v.enrolled_at DESC, v.resident_id DESC
      LIMIT ${Number(pageSize)} OFFSET ${Number((page - 1) * pageSize)}`,
    params,
  );
  return { items: rows.map(toVolunteer), total: Number(total?.n ?? 0) };
}

async function checkUser(q: Queryable, userId: number | null | undefined, residentId: number): Promise<void> {
  if (userId === undefined || userId === null) return;
  const [u] = await q.query('SELECT id FROM users WHERE id = $1', [userId]);
  if (!u) throw new AppError('VOLUNTEER_USER_NOT_FOUND', { field: 'userId' });
  const [taken] = await q.query('SELECT 1 FROM volunteers WHERE user_id = $1 AND resident_id <> $2', [
    userId,
    residentId,
  ]);
  if (taken) throw new AppError('VOLUNTEER_USER_TAKEN', { field: 'userId' });
}

/**
 * Enrols a resident of the caller's manage area (riders and couriers as 移动网格员: kind rider/courier).
 * @throws VOLUNTEER_RESIDENT_NOT_FOUND, VOLUNTEER_ALREADY_ENROLLED, VOLUNTEER_SKILL_UNKNOWN, VOLUNTEER_USER_*
 */
export async function enrolVolunteer(deps: VolunteersDeps, ctx: Ctx, body: VolunteerEnrol): Promise<Volunteer> {
  assertPermission(ctx.principal, 'volunteers.manage');
  checkSkills(body.skills);
  return deps.db.transaction(async (tx) => {
    const [r] = await tx.query<{ id: number; node_path: string; county_id: number; name: string; status: string }>(
      'SELECT id, node_path, county_id, name, status FROM residents WHERE id = $1',
      [body.residentId],
    );
    if (!r || r.status !== 'active' || !can(ctx.principal, 'volunteers.read', r.node_path))
      throw new AppError('VOLUNTEER_RESIDENT_NOT_FOUND', { field: 'residentId' });
    if (!can(ctx.principal, 'volunteers.manage', r.node_path))
      throw new AppError('OUT_OF_SCOPE', { field: 'residentId' });
    if (await findVolunteer(tx, body.residentId))
      throw new AppError('VOLUNTEER_ALREADY_ENROLLED', { field: 'residentId' });
    // an account linked to the resident is theirs unless another is named
    let userId = body.userId ?? null;
    if (body.userId === undefined) {
      const [linked] = await tx.query<{ id: number }>('SELECT id FROM users WHERE resident_id = $1', [body.residentId]);
      userId = linked ? Number(linked.id) : null;
    }
    await checkUser(tx, userId, body.residentId);
    await tx.query(
      `INSERT INTO volunteers (resident_id, county_id, node_path, user_id, kind, skills, enrolled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        r.id,
        r.county_id,
        r.node_path,
        userId,
        body.kind ?? 'resident',
        body.skills ?? [],
        ctx.principal.userId || null,
      ],
    );
    await recordAudit(tx, ctx, {
      action: 'volunteer.enrol',
      targetType: 'volunteer',
      targetId: body.residentId,
      targetLabel: r.name,
      scopePath: r.node_path,
      countyId: Number(r.county_id),
      after: { kind: body.kind ?? 'resident', skills: body.skills ?? [], userId },
    });
    return toVolunteer((await findVolunteer(tx, body.residentId))!);
  });
}

/** @throws VOLUNTEER_NOT_FOUND, VOLUNTEER_SKILL_UNKNOWN */
export async function updateVolunteer(
  deps: VolunteersDeps,
  ctx: Ctx,
  residentId: number,
  body: VolunteerPatch,
): Promise<Volunteer> {
  assertPermission(ctx.principal, 'volunteers.manage');
  checkSkills(body.skills);
  return deps.db.transaction(async (tx) => {
    await tx.query('SELECT resident_id FROM volunteers WHERE resident_id = $1 FOR UPDATE', [residentId]);
    const v = await findVolunteer(tx, residentId);
    if (!v || !can(ctx.principal, 'volunteers.read', v.node_path)) throw new AppError('VOLUNTEER_NOT_FOUND');
    if (!can(ctx.principal, 'volunteers.manage', v.node_path)) throw new AppError('FORBIDDEN');
    const before = { kind: v.kind, skills: v.skills, available: v.available, left: v.left_at !== null };
    const after = {
      kind: body.kind ?? v.kind,
      skills: body.skills ?? v.skills,
      available: body.available ?? v.available,
      left: body.left ?? before.left,
    };
    await tx.query(
      `UPDATE volunteers SET kind = $2, skills = $3, available = $4,
         left_at = CASE WHEN $5::boolean THEN COALESCE(left_at, now()) ELSE NULL END
       WHERE resident_id = $1`,
      [residentId, after.kind, after.skills, after.available, after.left],
    );
    if (after.left && !before.left)
      await tx.query('UPDATE volunteer_team_members SET left_at = now() WHERE resident_id = $1 AND left_at IS NULL', [
        residentId,
      ]);
    await recordAudit(tx, ctx, {
      action: 'volunteer.update',
      targetType: 'volunteer',
      targetId: residentId,
      targetLabel: v.name,
      scopePath: v.node_path,
      countyId: Number(v.county_id),
      before,
      after,
    });
    return toVolunteer((await findVolunteer(tx, residentId))!);
  });
}

/** The caller's own volunteer record, or null. @throws LEDGER_NO_RESIDENT */
export async function myVolunteer(deps: VolunteersDeps, ctx: Ctx): Promise<{ volunteer: Volunteer | null }> {
  const me = await ownResident(deps.db, ctx);
  const v = await findVolunteer(deps.db, me.id);
  return { volunteer: v ? toVolunteer(v) : null };
}

/**
 * A resident enrols themself (or updates their skills and kind, back from having left): available at once.
 * @throws LEDGER_NO_RESIDENT, VOLUNTEER_SKILL_UNKNOWN, VOLUNTEER_USER_TAKEN
 */
export async function enrolSelf(
  deps: VolunteersDeps,
  ctx: Ctx,
  body: SelfEnrol,
): Promise<{ volunteer: Volunteer; created: boolean }> {
  checkSkills(body.skills);
  return deps.db.transaction(async (tx) => {
    const me = await ownResident(tx, ctx);
    await checkUser(tx, ctx.principal.userId, me.id);
    const prior = await findVolunteer(tx, me.id);
    const kind = body.kind ?? (prior?.kind === 'party_member' ? 'party_member' : 'resident');
    await tx.query(
      `INSERT INTO volunteers (resident_id, county_id, node_path, user_id, kind, skills, enrolled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $4)
       ON CONFLICT (resident_id) DO UPDATE SET user_id = EXCLUDED.user_id, kind = EXCLUDED.kind,
         skills = EXCLUDED.skills, available = true, left_at = NULL`,
      [me.id, me.countyId, me.nodePath, ctx.principal.userId, kind, body.skills],
    );
    await recordAudit(tx, ctx, {
      action: prior ? 'volunteer.update_self' : 'volunteer.enrol_self',
      targetType: 'volunteer',
      targetId: me.id,
      targetLabel: me.name,
      scopePath: me.nodePath,
      countyId: me.countyId,
      before: prior ? { kind: prior.kind, skills: prior.skills, left: prior.left_at !== null } : null,
      after: { kind, skills: body.skills, left: false },
    });
    return { volunteer: toVolunteer((await findVolunteer(tx, me.id))!), created: !prior };
  });
}
