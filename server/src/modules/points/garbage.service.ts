/**
 * Garbage-sorting check-ins (垃圾分类打卡): a supervisor at the station (a grid worker, a building leader) records
 * that a resident brought sorted waste; quality 'good' credits the rule garbage_checkin (caps apply) and the answer
 * says what was credited or why nothing was. Recorded by visits.do or points.manage over the resident; a resident
 * the caller cannot read is "not found". The same clientId again is the same check-in.
 */
import type { Ctx } from '../../platform/access/context.js';
import { can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { shanghaiMidnight } from '../cases/calendar.logic.js';
import { findNodeById } from '../org/org.service.js';
import { notifyEarned } from './earners.notify.js';
import { creditByRule } from './earning.service.js';
import type { GarbageCheckin, GarbageCheckinCreate, GarbageListQuery } from './garbage.schemas.js';

const placeLabelSql = (pathCol: string) => `(
  SELECT coalesce(string_agg(pn.name, ' / ' ORDER BY pn.depth), '')
    FROM org_nodes pn
   WHERE pn.id = ANY (string_to_array(trim(both '/' from ${pathCol}), '/')::bigint[])
     AND pn.type NOT IN ('county', 'street', 'town'))`;

const SELECT_CHECKIN = `SELECT g.id, g.resident_id, r.name AS resident_name, r.node_id, ${placeLabelSql('g.node_path')} AS place_label,
    g.quality, g.checked_at, g.recorded_by, u.display_name AS recorder_name, g.credited, g.outcome, g.transfer_id,
    g.client_id::text AS client_id, g.node_path
  FROM garbage_checkins g JOIN residents r ON r.id = g.resident_id LEFT JOIN users u ON u.id = g.recorded_by`;

type Row = {
  id: number;
  resident_id: number;
  resident_name: string;
  node_id: number | null;
  place_label: string | null;
  quality: string;
  checked_at: Date;
  recorded_by: number;
  recorder_name: string | null;
  credited: number;
  outcome: string;
  transfer_id: number | null;
  client_id: string | null;
  node_path: string;
};

function toView(r: Row): GarbageCheckin {
  return {
    id: Number(r.id),
    residentId: Number(r.resident_id),
    residentName: r.resident_name,
    nodeId: r.node_id === null ? null : Number(r.node_id),
    placeLabel: r.place_label,
    quality: r.quality,
    checkedAt: new Date(r.checked_at).toISOString(),
    recordedBy: Number(r.recorded_by),
    recorderName: r.recorder_name,
    credited: Number(r.credited),
    outcome: r.outcome,
    transferId: r.transfer_id === null ? null : Number(r.transfer_id),
  };
}

async function findCheckin(q: Queryable, id: number): Promise<Row> {
  const [row] = await q.query<Row>(`${SELECT_CHECKIN} WHERE g.id = $1`, [id]);
  return row!;
}

const mayRecord = (ctx: Ctx, path: string) =>
  can(ctx.principal, 'visits.do', path) || can(ctx.principal, 'points.manage', path);

/**
 * Records a check-in (and its credit) — `duplicate` when this clientId was recorded before.
 * @throws RESIDENT_NOT_FOUND, FORBIDDEN, GARBAGE_CHECKIN_CLIENT_REUSED
 */
export async function recordCheckin(
  db: Db,
  ctx: Ctx,
  body: GarbageCheckinCreate,
  now = new Date(),
): Promise<{ checkin: GarbageCheckin; duplicate: boolean }> {
  const p = ctx.principal;
  return db.transaction(async (tx) => {
    const [res] = await tx.query<{
      id: number;
      county_id: number;
      node_path: string;
      household_id: number | null;
      status: string;
      name: string;
    }>('SELECT id, county_id, node_path, household_id, status, name FROM residents WHERE id = $1', [body.residentId]);
    const readable =
      res &&
      (can(p, 'people.read', res.node_path) || mayRecord(ctx, res.node_path) || can(p, 'points.read', res.node_path));
    if (!res || !readable || res.status !== 'active') {
      throw new AppError('RESIDENT_NOT_FOUND', { field: 'residentId' });
    }
    if (!mayRecord(ctx, res.node_path)) throw new AppError('FORBIDDEN');

    const [again] = await tx.query<{ id: number; resident_id: number }>(
      'SELECT id, resident_id FROM garbage_checkins WHERE recorded_by = $1 AND client_id = $2',
      [p.userId, body.clientId],
    );
    if (again) {
      if (Number(again.resident_id) !== body.residentId) {
        throw new AppError('GARBAGE_CHECKIN_CLIENT_REUSED', { field: 'clientId' });
      }
      return { checkin: toView(await findCheckin(tx, Number(again.id))), duplicate: true };
    }

    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO garbage_checkins (county_id, node_path, resident_id, household_id, quality, checked_at, recorded_by,
         client_id, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (recorded_by, client_id) WHERE client_id IS NOT NULL DO NOTHING RETURNING id`,
      [
        res.county_id,
        res.node_path,
        res.id,
        res.household_id,
        body.quality,
        now,
        p.userId,
        body.clientId,
        body.quality === 'good' ? 'credited' : 'not_good',
      ],
    );
    if (inserted.length === 0) {
      // the same clientId, recorded concurrently
      const [raced] = await tx.query<{ id: number }>(
        'SELECT id FROM garbage_checkins WHERE recorded_by = $1 AND client_id = $2',
        [p.userId, body.clientId],
      );
      return { checkin: toView(await findCheckin(tx, Number(raced!.id))), duplicate: true };
    }
    const id = Number(inserted[0]!.id);
    if (body.quality === 'good') {
      const r = await creditByRule(tx, {
        trigger: 'garbage_checkin',
        residentId: Number(res.id),
        idempotencyKey: `garbage:${id}`,
        reason: '垃圾分类打卡',
        sourceType: 'garbage_checkin',
        sourceId: id,
        operatorId: p.userId > 0 ? p.userId : null,
        now,
      });
      const outcome = r.ruleId === null ? 'rule_off' : r.capped ? 'capped' : 'credited';
      await tx.query('UPDATE garbage_checkins SET credited = $2, outcome = $3, transfer_id = $4 WHERE id = $1', [
        id,
        r.amount,
        outcome,
        r.transferId,
      ]);
      if (r.transferId !== null) await notifyEarned(tx, Number(res.id), r.amount, '垃圾分类打卡');
    }
    const row = await findCheckin(tx, id);
    await recordAudit(tx, ctx, {
      action: 'garbage_checkin.create',
      targetType: 'garbage_checkin',
      targetId: id,
      targetLabel: res.name,
      scopePath: res.node_path,
      countyId: Number(res.county_id),
      after: {
        residentId: Number(res.id),
        quality: body.quality,
        credited: Number(row.credited),
        outcome: row.outcome,
      },
    });
    return { checkin: toView(row), duplicate: false };
  });
}

/**
 * Check-ins under a node (default: the caller's whole area), newest first, for points.read or visits.read; a
 * supervisor holding only visits.do sees the ones they recorded. @throws ORG_NODE_NOT_FOUND, FORBIDDEN
 */
export async function listCheckins(db: Db, ctx: Ctx, query: GarbageListQuery): Promise<GarbageCheckin[]> {
  const p = ctx.principal;
  const readScopes = [scopeFor(p, 'points.read'), scopeFor(p, 'visits.read')];
  const readable = readScopes.filter((s) => s.all || s.paths.length > 0);
  const ownOnly = readable.length === 0;
  if (
    ownOnly &&
    scopeFor(p, 'visits.do').all === false &&
    (scopeFor(p, 'visits.do') as { paths: string[] }).paths.length === 0
  ) {
    throw new AppError('FORBIDDEN');
  }
  const where: string[] = [];
  const params: unknown[] = [];
  if (ownOnly) {
    params.push(p.userId);
    where.push(`g.recorded_by = $${params.length}`);
  } else {
    where.push(`(${readable.map((s) => scopeSql(s, 'g.node_path')).join(' OR ')})`);
  }
  if (query.nodeId !== undefined) {
    const node = await findNodeById(db, query.nodeId);
    const visible =
      node &&
      (can(p, 'points.read', node.path) ||
        can(p, 'visits.read', node.path) ||
        (ownOnly && can(p, 'visits.do', node.path)));
    if (!node || !visible) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    params.push(node.path);
    where.push(`g.node_path LIKE $${params.length} || '%'`);
  }
  if (query.residentId !== undefined) {
    params.push(query.residentId);
    where.push(`g.resident_id = $${params.length}`);
  }
  if (query.from) {
    params.push(new Date(shanghaiMidnight(query.from)));
    where.push(`g.checked_at >= $${params.length}`);
  }
  if (query.to) {
    params.push(new Date(shanghaiMidnight(query.to) + 86_400_000));
    where.push(`g.checked_at < $${params.length}`);
  }
  params.push(query.limit ?? 100);
  const rows = await db.query<Row>(
    `${SELECT_CHECKIN} WHERE ${where.join(' AND ')} ORDER BY g.checked_at DESC, g.id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toView);
}
