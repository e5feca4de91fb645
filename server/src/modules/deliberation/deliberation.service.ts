import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import * as notify from '../../platform/notify/notify.service.js';
import { maskName, type PiiCipher, parseIdNumber, parsePhone } from '../../platform/pii/index.js';
import type { CasesDeps } from '../cases/cases.service.js';
import { reportCase } from '../cases/cases.service.js';
import {
  ballotRefusal,
  canMoveDecision,
  hiddenByReports,
  isVoteOver,
  latestVoterBirthDate,
  mayShowResults,
  moderate,
  tally,
  topicReaches,
  unitKey,
} from './deliberation.logic.js';
import * as repo from './deliberation.repo.js';
import type {
  BallotBody,
  BallotReceipt,
  CommentCreate,
  CommentReportBody,
  CommentView,
  DecisionCaseBody,
  DecisionCreate,
  DecisionPatch,
  DecisionView,
  MeetingCreate,
  MeetingDetail,
  MeetingListQuery,
  MeetingPage,
  MeetingPatch,
  ModerationBody,
  ModerationQueue,
  MyVerification,
  ProposalCreate,
  TopicCloseBody,
  TopicCreate,
  TopicDetail,
  TopicListQuery,
  TopicPage,
  TopicReviewBody,
  TopicSummary,
  VerificationDecisionBody,
  VerificationListQuery,
  VerificationPage,
  VerificationRequestBody,
  VoteCreate,
  VoteView,
} from './deliberation.schemas.js';

export type DeliberationDeps = CasesDeps;

export const VERIFY_REQUESTED_KIND = 'deliberation.verification_requested';
export const VERIFY_DECIDED_KIND = 'deliberation.verification_decided';
export const TOPIC_PENDING_KIND = 'deliberation.topic_pending';

const TOPIC_NODE_TYPES = ['community', 'village', 'grid', 'micro_grid', 'building'];

const todayShanghai = (now = new Date()) => now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const topicNotFound = () => new AppError('DELIB_TOPIC_NOT_FOUND');

// ---- who is asking -----------------------------------------------------------------------------------------------

type Resident = {
  account: repo.AccountRow;
  record: repo.RecordRow | null;
  verified: boolean;
};

async function residentOf(q: Queryable, ctx: Ctx): Promise<Resident> {
  const account = ctx.principal.userId > 0 ? await repo.findAccount(q, ctx.principal.userId) : undefined;
  if (!account) throw new AppError('AUTH_REQUIRED');
  const record = account.resident_id === null ? null : ((await repo.findRecord(q, account.resident_id)) ?? null);
  const verified =
    record !== null && account.verified_resident_id === account.resident_id && record.status === 'active';
  return { account, record, verified };
}

/** A verified resident, or DELIB_NOT_VERIFIED. */
async function verifiedResident(q: Queryable, ctx: Ctx): Promise<Resident & { record: repo.RecordRow }> {
  const r = await residentOf(q, ctx);
  if (!r.verified || !r.record) throw new AppError('DELIB_NOT_VERIFIED');
  return r as Resident & { record: repo.RecordRow };
}

/** A topic the resident may read: open or closed and above their record, or one they raised themselves. */
function residentMayRead(t: repo.TopicRow, r: Resident): boolean {
  if (t.author_id === r.account.id) return true;
  if (t.status !== 'open' && t.status !== 'closed') return false;
  return r.record !== null && topicReaches(t.node_path, r.record.node_path);
}

// ---- verification ---------------------------------------------------------------------------------------------

/** The caller's own verification: linked, verified, and their latest request. */
export async function getMyVerification(db: Db, ctx: Ctx): Promise<MyVerification> {
  const r = await residentOf(db, ctx);
  const last = await repo.latestVerification(db, r.account.id);
  return {
    linked: r.record !== null,
    verified: r.verified,
    verifiedAt: r.verified ? iso(r.account.verified_at) : null,
    request: last
      ? {
          id: last.id,
          status: last.status,
          requestedAt: last.requested_at.toISOString(),
          decidedAt: iso(last.decided_at),
          note: last.note,
        }
      : null,
  };
}

/**
 * A resident asks to be verified: their ID number and phone must both match one active record (by the keyed
 * hashes, never by reading sealed values); the request waits in the tasks of the record's building leader and grid
 * worker. Which field failed is not told (no probing of the people database).
 * @throws ID_NUMBER_INVALID (idNumber), PHONE_INVALID (phone), DELIB_VERIFY_NO_MATCH, DELIB_VERIFY_ALREADY, DELIB_VERIFY_PENDING,
 *   DELIB_VERIFY_TAKEN
 */
export async function requestVerification(
  deps: { db: Db; pii: PiiCipher },
  ctx: Ctx,
  body: VerificationRequestBody,
): Promise<MyVerification> {
  const id = parseIdNumber(body.idNumber);
  if (!id.ok) throw new AppError('ID_NUMBER_INVALID', { field: 'idNumber', params: { reason: id.error } });
  const phone = parsePhone(body.phone);
  if (!phone.ok) throw new AppError('PHONE_INVALID', { field: 'phone' });
  await deps.db.transaction(async (tx) => {
    const r = await residentOf(tx, ctx);
    if (r.verified) throw new AppError('DELIB_VERIFY_ALREADY');
    const last = await repo.latestVerification(tx, r.account.id);
    if (last?.status === 'pending') throw new AppError('DELIB_VERIFY_PENDING');
    const record = await repo.findRecordByHashes(
      tx,
      deps.pii.hash(id.value, 'id'),
      deps.pii.hash(phone.value, 'phone'),
    );
    if (!record) throw new AppError('DELIB_VERIFY_NO_MATCH', { field: 'idNumber' });
    const holder = await repo.accountOfRecord(tx, record.id);
    if (holder !== null && holder !== r.account.id) throw new AppError('DELIB_VERIFY_TAKEN', { field: 'idNumber' });
    const vid = await repo.insertVerification(tx, {
      countyId: record.county_id,
      userId: r.account.id,
      residentId: record.id,
      nodePath: record.node_path,
    });
    await recordAudit(tx, ctx, {
      action: 'delib.verification.request',
      targetType: 'resident_verification',
      targetId: vid,
      targetLabel: maskName(record.name),
      scopePath: record.node_path,
      countyId: record.county_id,
      after: { userId: r.account.id, residentId: record.id },
    });
    const deciders = await notify.nearestHolders(tx, record.node_path, 'residents.verify');
    await notify.send(tx, deciders, VERIFY_REQUESTED_KIND, {
      verificationId: vid,
      name: maskName(record.name),
      nodePath: record.node_path,
    });
  });
  return getMyVerification(deps.db, ctx);
}

/** Verification requests in the caller's residents.verify area, pending first. */
export async function listVerifications(db: Db, ctx: Ctx, query: VerificationListQuery): Promise<VerificationPage> {
  assertPermission(ctx.principal, 'residents.verify');
  const size = query.pageSize ?? 20;
  const page = query.page ?? 1;
  const rows = await repo.listVerifications(
    db,
    scopeSql(scopeFor(ctx.principal, 'residents.verify'), 'v.node_path'),
    query.status ?? null,
    size,
    (page - 1) * size,
  );
  const items = await Promise.all(rows.map((r) => verificationItem(db, ctx, r)));
  return { items, total: rows[0]?.total ?? 0 };
}

async function verificationItem(q: Queryable, ctx: Ctx, r: repo.VerificationRow) {
  return {
    id: r.id,
    status: r.status,
    accountName: r.account_name,
    residentId: r.resident_id,
    residentName: can(ctx.principal, 'people.sensitive', r.node_path) ? r.resident_name : maskName(r.resident_name),
    place: await repo.placeOf(q, r.node_path),
    requestedAt: r.requested_at.toISOString(),
    decidedAt: iso(r.decided_at),
    note: r.note,
  };
}

export const pendingVerifications = repo.pendingVerifications;

/**
 * Approves (binds the account to the record and marks it verified) or rejects a pending request; audited, and
 * the resident is told.
 * @throws DELIB_VERIFICATION_NOT_FOUND (outside the caller's area too), DELIB_VERIFICATION_DECIDED, DELIB_VERIFY_TAKEN
 */
export async function decideVerification(
  db: Db,
  ctx: Ctx,
  id: number,
  body: VerificationDecisionBody,
): Promise<VerificationPage['items'][number]> {
  assertPermission(ctx.principal, 'residents.verify');
  return db.transaction(async (tx) => {
    const v = await repo.findVerification(tx, id, true);
    if (!v || !can(ctx.principal, 'residents.verify', v.node_path)) throw new AppError('DELIB_VERIFICATION_NOT_FOUND');
    if (v.status !== 'pending') throw new AppError('DELIB_VERIFICATION_DECIDED');
    const approve = body.decision === 'approve';
    if (approve) {
      const holder = await repo.accountOfRecord(tx, v.resident_id);
      if (holder !== null && holder !== v.user_id) throw new AppError('DELIB_VERIFY_TAKEN');
      await repo.bindAccount(tx, v.user_id, v.resident_id);
    }
    await repo.decideVerification(
      tx,
      id,
      approve ? 'approved' : 'rejected',
      ctx.principal.userId || null,
      body.note ?? null,
    );
    await recordAudit(tx, ctx, {
      action: approve ? 'delib.verification.approve' : 'delib.verification.reject',
      targetType: 'resident_verification',
      targetId: id,
      targetLabel: maskName(v.resident_name),
      scopePath: v.node_path,
      countyId: v.county_id,
      before: { status: 'pending' },
      after: { status: approve ? 'approved' : 'rejected', userId: v.user_id, residentId: v.resident_id },
      reason: body.note ?? null,
    });
    await notify.send(tx, [v.user_id], VERIFY_DECIDED_KIND, { verificationId: id, approved: approve });
    return verificationItem(tx, ctx, (await repo.findVerification(tx, id))!);
  });
}

// ---- topics ---------------------------------------------------------------------------------------------------

function summaryOf(t: repo.TopicRow, maskAuthor: boolean): TopicSummary {
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    origin: t.origin,
    nodeId: t.node_id,
    nodeName: t.node_name,
    authorName: maskAuthor && t.origin === 'resident' ? maskName(t.author_name) : t.author_name,
    createdAt: t.created_at.toISOString(),
    openedAt: iso(t.opened_at),
    closedAt: iso(t.closed_at),
    comments: t.comments,
    proposals: t.proposals,
    votes: t.votes,
    openVotes: t.open_votes,
  };
}

/** Topics of the caller's deliberation.read area (console). */
export async function listTopics(db: Db, ctx: Ctx, query: TopicListQuery): Promise<TopicPage> {
  assertPermission(ctx.principal, 'deliberation.read');
  const conds = [scopeSql(scopeFor(ctx.principal, 'deliberation.read'), 't.node_path')];
  const params: unknown[] = [];
  if (query.status) {
    params.push(query.status);
    conds.push(`t.status = $${params.length}`);
  }
  if (query.nodeId !== undefined) {
    const node = await repo.findNode(db, query.nodeId);
    if (!node) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    params.push(node.path);
    conds.push(`t.node_path LIKE $${params.length} || '%'`);
  }
  const size = query.pageSize ?? 20;
  const rows = await repo.listTopics(db, conds.join(' AND '), params, size, ((query.page ?? 1) - 1) * size);
  return { items: rows.map((t) => summaryOf(t, false)), total: rows[0]?.total ?? 0, verified: true };
}

/** Topics a resident sees: open and closed ones above their record, and those they raised. */
export async function listMyTopics(db: Db, ctx: Ctx, query: TopicListQuery): Promise<TopicPage> {
  const r = await residentOf(db, ctx);
  const params: unknown[] = [r.account.id, r.record?.node_path ?? null];
  const conds = [`(t.author_id = $1 OR (t.status IN ('open', 'closed') AND $2::text LIKE t.node_path || '%'))`];
  if (query.status) {
    params.push(query.status);
    conds.push(`t.status = $${params.length}`);
  }
  const size = query.pageSize ?? 20;
  const rows = await repo.listTopics(db, conds.join(' AND '), params, size, ((query.page ?? 1) - 1) * size);
  return { items: rows.map((t) => summaryOf(t, true)), total: rows[0]?.total ?? 0, verified: r.verified };
}

async function topicNode(q: Queryable, nodeId: number): Promise<repo.NodeRow> {
  const node = await repo.findNode(q, nodeId);
  if (!node || node.status !== 'active') throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  if (!TOPIC_NODE_TYPES.includes(node.type)) throw new AppError('DELIB_NODE_KIND', { field: 'nodeId' });
  return node;
}

/**
 * A topic raised by the community (open at once).
 * @throws ORG_NODE_NOT_FOUND, DELIB_NODE_KIND, OUT_OF_SCOPE
 */
export async function createTopic(db: Db, ctx: Ctx, body: TopicCreate): Promise<TopicDetail> {
  assertPermission(ctx.principal, 'deliberation.manage');
  const id = await db.transaction(async (tx) => {
    const node = await topicNode(tx, body.nodeId);
    assertCan(ctx.principal, 'deliberation.manage', node.path, {
      readPermission: 'deliberation.read',
      notFound: new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' }),
    });
    const id = await repo.insertTopic(tx, {
      countyId: node.county_id,
      nodeId: node.id,
      nodePath: node.path,
      title: body.title,
      body: body.body ?? '',
      origin: 'community',
      status: 'open',
      authorId: ctx.principal.userId || null,
      authorName: ctx.principal.displayName,
    });
    await recordAudit(tx, ctx, {
      action: 'delib.topic.create',
      targetType: 'delib_topic',
      targetId: id,
      targetLabel: body.title,
      scopePath: node.path,
      countyId: node.county_id,
      after: { nodeId: node.id, title: body.title, origin: 'community', status: 'open' },
    });
    return id;
  });
  return getTopic(db, ctx, id);
}

/**
 * A verified resident raises a topic for their building, grid or community: it waits for the community's
 * approval before it opens.
 * @throws DELIB_NOT_VERIFIED, ORG_NODE_NOT_FOUND, DELIB_NODE_KIND, DELIB_NODE_NOT_ABOVE
 */
export async function raiseTopic(db: Db, ctx: Ctx, body: TopicCreate): Promise<TopicDetail> {
  const id = await db.transaction(async (tx) => {
    const r = await verifiedResident(tx, ctx);
    const node = await topicNode(tx, body.nodeId);
    if (!topicReaches(node.path, r.record.node_path)) throw new AppError('DELIB_NODE_NOT_ABOVE', { field: 'nodeId' });
    const id = await repo.insertTopic(tx, {
      countyId: node.county_id,
      nodeId: node.id,
      nodePath: node.path,
      title: body.title,
      body: body.body ?? '',
      origin: 'resident',
      status: 'pending',
      authorId: r.account.id,
      authorName: r.account.display_name,
    });
    await recordAudit(tx, ctx, {
      action: 'delib.topic.create',
      targetType: 'delib_topic',
      targetId: id,
      targetLabel: body.title,
      scopePath: node.path,
      countyId: node.county_id,
      after: { nodeId: node.id, title: body.title, origin: 'resident', status: 'pending' },
    });
    const managers = await notify.nearestHolders(tx, node.path, 'deliberation.manage');
    await notify.send(tx, managers, TOPIC_PENDING_KIND, { topicId: id, title: body.title, nodePath: node.path });
    return id;
  });
  return getMyTopic(db, ctx, id);
}

async function readableTopic(q: Queryable, ctx: Ctx, id: number): Promise<repo.TopicRow> {
  const t = await repo.findTopic(q, id);
  if (!t || !can(ctx.principal, 'deliberation.read', t.node_path)) throw topicNotFound();
  return t;
}

async function managedTopic(q: Queryable, ctx: Ctx, id: number): Promise<repo.TopicRow> {
  assertPermission(ctx.principal, 'deliberation.manage');
  const t = await repo.findTopic(q, id);
  if (!t) throw topicNotFound();
  assertCan(ctx.principal, 'deliberation.manage', t.node_path, {
    readPermission: 'deliberation.read',
    notFound: topicNotFound(),
  });
  return t;
}

/** A topic as a worker sees it (names in full, hidden comments with their text, results of open votes). */
export async function getTopic(db: Db, ctx: Ctx, id: number, now = new Date()): Promise<TopicDetail> {
  assertPermission(ctx.principal, 'deliberation.read');
  const t = await readableTopic(db, ctx, id);
  return detailOf(db, t, {
    viewerUserId: ctx.principal.userId,
    residentId: null,
    worker: true,
    takePart: false,
    manage: can(ctx.principal, 'deliberation.manage', t.node_path),
    now,
  });
}

/** A topic as a resident sees it. @throws DELIB_TOPIC_NOT_FOUND */
export async function getMyTopic(db: Db, ctx: Ctx, id: number, now = new Date()): Promise<TopicDetail> {
  const r = await residentOf(db, ctx);
  const t = await repo.findTopic(db, id);
  if (!t || !residentMayRead(t, r)) throw topicNotFound();
  return detailOf(db, t, {
    viewerUserId: r.account.id,
    residentId: r.verified ? (r.record?.id ?? null) : null,
    worker: false,
    takePart: r.verified && t.status === 'open' && r.record !== null && topicReaches(t.node_path, r.record.node_path),
    manage: false,
    now,
  });
}

async function detailOf(
  q: Queryable,
  t: repo.TopicRow,
  v: {
    viewerUserId: number;
    residentId: number | null;
    worker: boolean;
    takePart: boolean;
    manage: boolean;
    now: Date;
  },
): Promise<TopicDetail> {
  const [comments, proposals, votes, decisions] = await Promise.all([
    repo.listComments(q, t.id),
    repo.listProposals(q, t.id, v.residentId),
    repo.listVotes(q, t.id),
    repo.decisionsOfTopic(q, t.id),
  ]);
  const name = (n: string) => (v.worker ? n : maskName(n));
  const voteViews: VoteView[] = [];
  for (const vote of votes) voteViews.push(await voteViewOf(q, t, vote, v.residentId, v.now));
  return {
    ...summaryOf(t, !v.worker),
    body: t.body,
    reviewNote: t.review_note,
    outcome: t.outcome,
    comments: comments.map(
      (c): CommentView => ({
        id: c.id,
        parentId: c.parent_id,
        authorName: name(c.author_name),
        body: c.status === 'visible' || (v.worker && c.status === 'hidden') ? c.body : '',
        status: c.status,
        reports: v.worker ? c.reports : 0,
        createdAt: c.created_at.toISOString(),
        mine: c.author_id === v.viewerUserId,
      }),
    ),
    proposals: proposals.map((p) => ({
      id: p.id,
      title: p.title,
      body: p.body,
      authorName: name(p.author_name),
      supports: p.supports,
      supportedByMe: p.supported_by_me,
      createdAt: p.created_at.toISOString(),
    })),
    votes: voteViews,
    decisions: decisions.map(decisionViewOf),
    can: { take_part: v.takePart, manage: v.manage },
  };
}

async function voteViewOf(
  q: Queryable,
  t: { node_path: string },
  vote: repo.VoteRow,
  residentId: number | null,
  now: Date,
): Promise<VoteView> {
  const options = (await repo.listOptions(q, [vote.id])).map((o) => ({ id: o.id, label: o.label }));
  const over = isVoteOver(vote, now);
  const results = mayShowResults(vote.secrecy, over) ? await resultsOf(q, t, vote, options, over, now) : null;
  return {
    id: vote.id,
    question: vote.question,
    rule: vote.rule,
    secrecy: vote.secrecy,
    quorumKind: vote.quorum_kind,
    quorumValue: Number(vote.quorum_value),
    deadline: vote.deadline.toISOString(),
    status: vote.status,
    over,
    options,
    myBallot: residentId === null ? { voted: false, optionId: null } : await repo.myBallot(q, vote.id, residentId),
    results,
  };
}

async function resultsOf(
  q: Queryable,
  t: { node_path: string },
  vote: repo.VoteRow,
  options: { id: number; label: string }[],
  over: boolean,
  now: Date,
) {
  // the electorate on the day the vote ended (closed, or its deadline), today while it runs
  const end = vote.closed_at && vote.closed_at < vote.deadline ? vote.closed_at : vote.deadline;
  const day = todayShanghai(over ? end : now);
  const eligible = await repo.countEligible(q, t.node_path, latestVoterBirthDate(day), vote.rule);
  const ballots = await repo.ballotOptions(q, vote.id);
  const r = tally(
    options.map((o) => o.id),
    ballots,
    eligible,
    { kind: vote.quorum_kind, value: Number(vote.quorum_value) },
  );
  const label = new Map(options.map((o) => [o.id, o.label]));
  return {
    counts: r.counts.map((c) => ({ optionId: c.optionId, label: label.get(c.optionId) ?? '', count: c.count })),
    turnout: r.turnout,
    eligible: r.eligible,
    required: r.required,
    quorumMet: r.quorumMet,
    leading: r.leading,
    final: over,
  };
}

/**
 * Approves (opens) or rejects a resident's pending topic.
 * @throws DELIB_TOPIC_NOT_FOUND, OUT_OF_SCOPE, DELIB_TOPIC_STATE
 */
export async function reviewTopic(db: Db, ctx: Ctx, id: number, body: TopicReviewBody): Promise<TopicDetail> {
  await db.transaction(async (tx) => {
    const t = await managedTopic(tx, ctx, id);
    await repo.lockTopic(tx, id);
    if (t.status !== 'pending') throw new AppError('DELIB_TOPIC_STATE', { params: { status: t.status } });
    const status = body.decision === 'approve' ? 'open' : 'rejected';
    await repo.setTopicStatus(tx, id, status, body.note ?? null);
    await recordAudit(tx, ctx, {
      action: 'delib.topic.review',
      targetType: 'delib_topic',
      targetId: id,
      targetLabel: t.title,
      scopePath: t.node_path,
      countyId: t.county_id,
      before: { status: 'pending' },
      after: { status },
      reason: body.note ?? null,
    });
  });
  return getTopic(db, ctx, id);
}

/**
 * Closes an open topic with its outcome (published on the topic); open votes on it close too.
 * @throws DELIB_TOPIC_NOT_FOUND, OUT_OF_SCOPE, DELIB_TOPIC_STATE
 */
export async function closeTopic(db: Db, ctx: Ctx, id: number, body: TopicCloseBody): Promise<TopicDetail> {
  await db.transaction(async (tx) => {
    const t = await managedTopic(tx, ctx, id);
    await repo.lockTopic(tx, id);
    if (t.status !== 'open') throw new AppError('DELIB_TOPIC_STATE', { params: { status: t.status } });
    for (const v of await repo.listVotes(tx, id)) if (v.status === 'open') await repo.closeVote(tx, v.id);
    await repo.setTopicStatus(tx, id, 'closed', body.outcome ?? null);
    await recordAudit(tx, ctx, {
      action: 'delib.topic.close',
      targetType: 'delib_topic',
      targetId: id,
      targetLabel: t.title,
      scopePath: t.node_path,
      countyId: t.county_id,
      before: { status: 'open' },
      after: { status: 'closed', outcome: body.outcome ?? null },
    });
  });
  return getTopic(db, ctx, id);
}

// ---- comments -------------------------------------------------------------------------------------------------

async function topicToTakePart(tx: Queryable, ctx: Ctx, topicId: number) {
  const r = await verifiedResident(tx, ctx);
  const t = await repo.findTopic(tx, topicId);
  if (!t || !residentMayRead(t, r)) throw topicNotFound();
  if (t.status !== 'open') throw new AppError('DELIB_TOPIC_STATE', { params: { status: t.status } });
  if (!topicReaches(t.node_path, r.record.node_path)) throw topicNotFound();
  return { r, t };
}

/**
 * A verified resident comments on an open topic (a reply names its parent in the same topic).
 * @throws DELIB_NOT_VERIFIED, DELIB_TOPIC_NOT_FOUND, DELIB_TOPIC_STATE, DELIB_COMMENT_NOT_FOUND (parentId)
 */
export async function postComment(db: Db, ctx: Ctx, topicId: number, body: CommentCreate): Promise<TopicDetail> {
  await db.transaction(async (tx) => {
    const { r } = await topicToTakePart(tx, ctx, topicId);
    if (body.parentId !== undefined) {
      const parent = await repo.findComment(tx, body.parentId);
      if (!parent || parent.topic_id !== topicId) throw new AppError('DELIB_COMMENT_NOT_FOUND', { field: 'parentId' });
    }
    await repo.insertComment(tx, {
      topicId,
      parentId: body.parentId ?? null,
      authorId: r.account.id,
      authorName: r.account.display_name,
      body: body.body,
    });
  });
  return getMyTopic(db, ctx, topicId);
}

/**
 * A verified resident reports a comment once; at REPORTS_TO_HIDE reports it is hidden pending review (audited as
 * the system's act on the reporter's request).
 * @throws DELIB_NOT_VERIFIED, DELIB_COMMENT_NOT_FOUND, DELIB_ALREADY_REPORTED
 */
export async function reportComment(
  db: Db,
  ctx: Ctx,
  commentId: number,
  body: CommentReportBody,
): Promise<{ reported: true; hidden: boolean }> {
  return db.transaction(async (tx) => {
    const r = await verifiedResident(tx, ctx);
    const c = await repo.findComment(tx, commentId, true);
    const t = c ? await repo.findTopic(tx, c.topic_id) : undefined;
    if (!c || !t || c.status === 'removed' || !residentMayRead(t, r)) throw new AppError('DELIB_COMMENT_NOT_FOUND');
    if (!(await repo.insertReport(tx, commentId, r.account.id, body.reason ?? null))) {
      throw new AppError('DELIB_ALREADY_REPORTED');
    }
    const reports = c.reports + 1;
    const hide = hiddenByReports(c.status, reports, c.reviewed);
    await repo.updateComment(tx, commentId, { status: hide ? 'hidden' : c.status, reports });
    if (hide) {
      await recordAudit(tx, ctx, {
        action: 'delib.comment.auto_hide',
        targetType: 'delib_comment',
        targetId: commentId,
        targetLabel: t.title,
        scopePath: t.node_path,
        countyId: t.county_id,
        before: { status: 'visible' },
        after: { status: 'hidden', reports },
      });
    }
    return { reported: true as const, hidden: hide || c.status === 'hidden' };
  });
}

/** Reported and hidden comments of the caller's deliberation.manage area, hidden ones first. */
export async function getModerationQueue(db: Db, ctx: Ctx): Promise<ModerationQueue> {
  assertPermission(ctx.principal, 'deliberation.manage');
  const rows = await repo.moderationQueue(db, scopeSql(scopeFor(ctx.principal, 'deliberation.manage'), 't.node_path'));
  return {
    items: rows.map((c) => ({
      id: c.id,
      topicId: c.topic_id,
      topicTitle: c.topic_title,
      authorName: c.author_name,
      body: c.body,
      status: c.status,
      reports: c.reports,
      reasons: c.reasons ?? [],
      createdAt: c.created_at.toISOString(),
    })),
  };
}

/**
 * A worker hides, restores or removes a comment (audited). Restoring marks it reviewed, so the same reports do
 * not hide it again.
 * @throws DELIB_COMMENT_NOT_FOUND, OUT_OF_SCOPE, DELIB_MODERATION_STATE
 */
export async function moderateComment(
  db: Db,
  ctx: Ctx,
  commentId: number,
  body: ModerationBody,
): Promise<{ id: number; status: 'visible' | 'hidden' | 'removed' }> {
  assertPermission(ctx.principal, 'deliberation.manage');
  return db.transaction(async (tx) => {
    const c = await repo.findComment(tx, commentId, true);
    const t = c ? await repo.findTopic(tx, c.topic_id) : undefined;
    if (!c || !t) throw new AppError('DELIB_COMMENT_NOT_FOUND');
    assertCan(ctx.principal, 'deliberation.manage', t.node_path, {
      readPermission: 'deliberation.read',
      notFound: new AppError('DELIB_COMMENT_NOT_FOUND'),
    });
    const next = moderate(c.status, body.action);
    if (next === null) throw new AppError('DELIB_MODERATION_STATE', { params: { status: c.status } });
    await repo.updateComment(tx, commentId, { status: next, reviewed: body.action !== 'hide' });
    await recordAudit(tx, ctx, {
      action: 'delib.comment.moderate',
      targetType: 'delib_comment',
      targetId: commentId,
      targetLabel: t.title,
      scopePath: t.node_path,
      countyId: t.county_id,
      before: { status: c.status },
      after: { status: next, action: body.action },
      reason: body.note ?? null,
    });
    return { id: commentId, status: next };
  });
}

// ---- proposals ------------------------------------------------------------------------------------------------

/** @throws DELIB_NOT_VERIFIED, DELIB_TOPIC_NOT_FOUND, DELIB_TOPIC_STATE */
export async function postProposal(db: Db, ctx: Ctx, topicId: number, body: ProposalCreate): Promise<TopicDetail> {
  await db.transaction(async (tx) => {
    const { r } = await topicToTakePart(tx, ctx, topicId);
    await repo.insertProposal(tx, {
      topicId,
      authorId: r.account.id,
      authorName: r.account.display_name,
      title: body.title,
      body: body.body ?? '',
    });
  });
  return getMyTopic(db, ctx, topicId);
}

/** One support per verified resident. @throws DELIB_NOT_VERIFIED, DELIB_PROPOSAL_NOT_FOUND, DELIB_ALREADY_SUPPORTED */
export async function supportProposal(db: Db, ctx: Ctx, proposalId: number): Promise<TopicDetail> {
  const topicId = await db.transaction(async (tx) => {
    const p = await repo.findProposal(tx, proposalId);
    if (!p) throw new AppError('DELIB_PROPOSAL_NOT_FOUND');
    const r = await verifiedResident(tx, ctx);
    const t = await repo.findTopic(tx, p.topic_id);
    if (!t || !residentMayRead(t, r)) throw new AppError('DELIB_PROPOSAL_NOT_FOUND');
    if (t.status !== 'open') throw new AppError('DELIB_TOPIC_STATE', { params: { status: t.status } });
    if (!(await repo.insertSupport(tx, proposalId, r.record.id))) throw new AppError('DELIB_ALREADY_SUPPORTED');
    return p.topic_id;
  });
  return getMyTopic(db, ctx, topicId);
}

// ---- votes ----------------------------------------------------------------------------------------------------

/**
 * Opens a vote on an open topic.
 * @throws DELIB_TOPIC_NOT_FOUND, OUT_OF_SCOPE, DELIB_TOPIC_STATE, DELIB_OPTIONS_DUPLICATE, DELIB_DEADLINE_PAST,
 *   DELIB_QUORUM_SHARE
 */
export async function createVote(
  db: Db,
  ctx: Ctx,
  topicId: number,
  body: VoteCreate,
  now = new Date(),
): Promise<TopicDetail> {
  const options = body.options;
  if (new Set(options).size !== options.length) throw new AppError('DELIB_OPTIONS_DUPLICATE', { field: 'options' });
  if (Date.parse(body.deadline) <= now.getTime()) throw new AppError('DELIB_DEADLINE_PAST', { field: 'deadline' });
  if (body.quorumKind === 'share' && body.quorumValue > 1) {
    throw new AppError('DELIB_QUORUM_SHARE', { field: 'quorumValue' });
  }
  await db.transaction(async (tx) => {
    const t = await managedTopic(tx, ctx, topicId);
    if (t.status !== 'open') throw new AppError('DELIB_TOPIC_STATE', { params: { status: t.status } });
    const id = await repo.insertVote(tx, {
      topicId,
      question: body.question,
      rule: body.rule,
      secrecy: body.secrecy,
      quorumKind: body.quorumKind,
      quorumValue: body.quorumValue,
      deadline: body.deadline,
      createdBy: ctx.principal.userId || null,
      options,
    });
    await recordAudit(tx, ctx, {
      action: 'delib.vote.create',
      targetType: 'delib_vote',
      targetId: id,
      targetLabel: body.question,
      scopePath: t.node_path,
      countyId: t.county_id,
      after: { topicId, rule: body.rule, secrecy: body.secrecy, quorum: `${body.quorumKind}:${body.quorumValue}` },
    });
  });
  return getTopic(db, ctx, topicId);
}

/** Closes a vote before its deadline: its results become final. @throws DELIB_VOTE_NOT_FOUND, OUT_OF_SCOPE, DELIB_VOTE_OVER */
export async function closeVote(db: Db, ctx: Ctx, voteId: number, now = new Date()): Promise<TopicDetail> {
  const topicId = await db.transaction(async (tx) => {
    assertPermission(ctx.principal, 'deliberation.manage');
    const v = await repo.findVote(tx, voteId, true);
    const t = v ? await repo.findTopic(tx, v.topic_id) : undefined;
    if (!v || !t) throw new AppError('DELIB_VOTE_NOT_FOUND');
    assertCan(ctx.principal, 'deliberation.manage', t.node_path, {
      readPermission: 'deliberation.read',
      notFound: new AppError('DELIB_VOTE_NOT_FOUND'),
    });
    if (v.status === 'closed') throw new AppError('DELIB_VOTE_OVER');
    await repo.closeVote(tx, voteId);
    await recordAudit(tx, ctx, {
      action: 'delib.vote.close',
      targetType: 'delib_vote',
      targetId: voteId,
      targetLabel: v.question,
      scopePath: t.node_path,
      countyId: t.county_id,
      before: { status: 'open' },
      after: { status: 'closed', pastDeadline: now >= v.deadline },
    });
    return t.id;
  });
  return getTopic(db, ctx, topicId);
}

/**
 * A verified resident of the topic's area, 18 or over, casts one ballot. Per household, the first member's ballot
 * counts; a later member is refused, told who voted only when the vote is open (named). A secret ballot is stored
 * without its voter (the voter list and the ballots are apart), and no ballot is audited.
 * @throws DELIB_NOT_VERIFIED, DELIB_VOTE_NOT_FOUND, DELIB_NOT_ELIGIBLE, DELIB_VOTE_OVER, DELIB_ALREADY_VOTED,
 *   DELIB_HOUSEHOLD_VOTED, DELIB_HOUSEHOLD_VOTED_BY, DELIB_OPTION_NOT_FOUND (optionId)
 */
export async function castBallot(
  db: Db,
  ctx: Ctx,
  voteId: number,
  body: BallotBody,
  now = new Date(),
): Promise<BallotReceipt> {
  return db.transaction(async (tx) => {
    const r = await verifiedResident(tx, ctx);
    const v = await repo.findVote(tx, voteId, true);
    const t = v ? await repo.findTopic(tx, v.topic_id) : undefined;
    if (!v || !t || !residentMayRead(t, r)) throw new AppError('DELIB_VOTE_NOT_FOUND');
    if (!topicReaches(t.node_path, r.record.node_path)) throw new AppError('DELIB_NOT_ELIGIBLE');
    if (r.record.birth_date > latestVoterBirthDate(todayShanghai(now))) throw new AppError('DELIB_NOT_ELIGIBLE');
    const options = await repo.listOptions(tx, [voteId]);
    const voters = await repo.votersOf(tx, voteId);
    const refusal = ballotRefusal(
      { status: v.status, deadline: v.deadline, rule: v.rule },
      now,
      { residentId: r.record.id, householdId: r.record.household_id },
      { residentIds: new Set(voters.map((x) => x.resident_id)), unitKeys: new Set(voters.map((x) => x.unit_key)) },
    );
    if (refusal === 'over') throw new AppError('DELIB_VOTE_OVER');
    if (refusal === 'already_voted') throw new AppError('DELIB_ALREADY_VOTED');
    if (refusal === 'household_voted') {
      const key = unitKey(v.rule, r.record.id, r.record.household_id);
      const first = voters.find((x) => x.unit_key === key);
      if (v.secrecy === 'open' && first) {
        throw new AppError('DELIB_HOUSEHOLD_VOTED_BY', { params: { name: first.name } });
      }
      throw new AppError('DELIB_HOUSEHOLD_VOTED');
    }
    if (!options.some((o) => o.id === body.optionId))
      throw new AppError('DELIB_OPTION_NOT_FOUND', { field: 'optionId' });
    const castAt = await repo.insertBallot(tx, {
      voteId,
      residentId: r.record.id,
      unitKey: unitKey(v.rule, r.record.id, r.record.household_id),
      optionId: body.optionId,
      named: v.secrecy === 'open',
    });
    return { voteId, voted: true, castAt: castAt.toISOString() };
  });
}

// ---- meetings and decisions -----------------------------------------------------------------------------------

function decisionViewOf(d: repo.DecisionRow): DecisionView {
  return {
    id: d.id,
    meetingId: d.meeting_id,
    meetingTitle: d.meeting_title,
    heldAt: d.held_at.toISOString(),
    title: d.title,
    owner: d.owner,
    status: d.status,
    outcome: d.outcome,
    caseId: d.case_id,
    caseNo: d.case_no,
    updatedAt: d.updated_at.toISOString(),
    doneAt: iso(d.done_at),
  };
}

const meetingNotFound = () => new AppError('DELIB_MEETING_NOT_FOUND');

function meetingSummaryOf(m: repo.MeetingRow) {
  return {
    id: m.id,
    title: m.title,
    nodeId: m.node_id,
    nodeName: m.node_name,
    topicId: m.topic_id,
    topicTitle: m.topic_title,
    heldAt: m.held_at.toISOString(),
    place: m.place,
    decisions: m.decisions,
    decisionsDone: m.decisions_done,
  };
}

export async function listMeetings(db: Db, ctx: Ctx, query: MeetingListQuery): Promise<MeetingPage> {
  assertPermission(ctx.principal, 'deliberation.read');
  const size = query.pageSize ?? 20;
  const rows = await repo.listMeetings(
    db,
    scopeSql(scopeFor(ctx.principal, 'deliberation.read'), 'm.node_path'),
    size,
    ((query.page ?? 1) - 1) * size,
  );
  return { items: rows.map(meetingSummaryOf), total: rows[0]?.total ?? 0 };
}

/** @throws DELIB_MEETING_NOT_FOUND */
export async function getMeeting(db: Queryable, ctx: Ctx, id: number): Promise<MeetingDetail> {
  assertPermission(ctx.principal, 'deliberation.read');
  const m = await repo.findMeeting(db, id);
  if (!m || !can(ctx.principal, 'deliberation.read', m.node_path)) throw meetingNotFound();
  return {
    ...meetingSummaryOf(m),
    agenda: m.agenda,
    attendance: m.attendance,
    minutes: m.minutes,
    decisionList: (await repo.decisionsOfMeeting(db, id)).map(decisionViewOf),
  };
}

async function managedMeeting(q: Queryable, ctx: Ctx, id: number): Promise<repo.MeetingRow> {
  assertPermission(ctx.principal, 'deliberation.manage');
  const m = await repo.findMeeting(q, id);
  if (!m) throw meetingNotFound();
  assertCan(ctx.principal, 'deliberation.manage', m.node_path, {
    readPermission: 'deliberation.read',
    notFound: meetingNotFound(),
  });
  return m;
}

/**
 * Records a three-party meeting (社区两委、物业、业委会) of a community, grid or building, optionally on a topic of
 * that area.
 * @throws ORG_NODE_NOT_FOUND, DELIB_NODE_KIND, OUT_OF_SCOPE, DELIB_TOPIC_NOT_FOUND (topicId)
 */
export async function createMeeting(db: Db, ctx: Ctx, body: MeetingCreate): Promise<MeetingDetail> {
  assertPermission(ctx.principal, 'deliberation.manage');
  const id = await db.transaction(async (tx) => {
    const node = await topicNode(tx, body.nodeId);
    assertCan(ctx.principal, 'deliberation.manage', node.path, {
      readPermission: 'deliberation.read',
      notFound: new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' }),
    });
    if (body.topicId !== undefined) {
      const t = await repo.findTopic(tx, body.topicId);
      if (!t || !can(ctx.principal, 'deliberation.manage', t.node_path)) {
        throw new AppError('DELIB_TOPIC_NOT_FOUND', { field: 'topicId' });
      }
    }
    const id = await repo.insertMeeting(tx, {
      countyId: node.county_id,
      nodeId: node.id,
      nodePath: node.path,
      topicId: body.topicId ?? null,
      title: body.title,
      heldAt: body.heldAt,
      place: body.place ?? null,
      agenda: body.agenda ?? '',
      attendance: body.attendance ?? [],
      minutes: body.minutes ?? '',
      createdBy: ctx.principal.userId || null,
    });
    await recordAudit(tx, ctx, {
      action: 'delib.meeting.create',
      targetType: 'delib_meeting',
      targetId: id,
      targetLabel: body.title,
      scopePath: node.path,
      countyId: node.county_id,
      after: { nodeId: node.id, topicId: body.topicId ?? null, heldAt: body.heldAt },
    });
    return id;
  });
  return getMeeting(db, ctx, id);
}

/** Agenda, attendance, minutes. @throws DELIB_MEETING_NOT_FOUND, OUT_OF_SCOPE */
export async function updateMeeting(db: Db, ctx: Ctx, id: number, body: MeetingPatch): Promise<MeetingDetail> {
  await db.transaction(async (tx) => {
    const m = await managedMeeting(tx, ctx, id);
    await repo.updateMeeting(tx, id, body);
    await recordAudit(tx, ctx, {
      action: 'delib.meeting.update',
      targetType: 'delib_meeting',
      targetId: id,
      targetLabel: m.title,
      scopePath: m.node_path,
      countyId: m.county_id,
      before: {
        agenda: body.agenda !== undefined ? m.agenda : undefined,
        minutes: body.minutes !== undefined ? m.minutes : undefined,
        attendance: body.attendance !== undefined ? m.attendance.length : undefined,
      },
      after: {
        agenda: body.agenda,
        minutes: body.minutes,
        attendance: body.attendance !== undefined ? body.attendance.length : undefined,
      },
    });
  });
  return getMeeting(db, ctx, id);
}

/** @throws DELIB_MEETING_NOT_FOUND, OUT_OF_SCOPE */
export async function addDecision(db: Db, ctx: Ctx, meetingId: number, body: DecisionCreate): Promise<MeetingDetail> {
  await db.transaction(async (tx) => {
    const m = await managedMeeting(tx, ctx, meetingId);
    const id = await repo.insertDecision(tx, { meetingId, title: body.title, owner: body.owner ?? null });
    await recordAudit(tx, ctx, {
      action: 'delib.decision.create',
      targetType: 'delib_decision',
      targetId: id,
      targetLabel: body.title,
      scopePath: m.node_path,
      countyId: m.county_id,
      after: { meetingId, title: body.title, status: 'open' },
    });
  });
  return getMeeting(db, ctx, meetingId);
}

async function managedDecision(q: Queryable, ctx: Ctx, id: number): Promise<repo.DecisionRow> {
  assertPermission(ctx.principal, 'deliberation.manage');
  const d = await repo.findDecision(q, id);
  const notFound = new AppError('DELIB_DECISION_NOT_FOUND');
  if (!d) throw notFound;
  assertCan(ctx.principal, 'deliberation.manage', d.node_path, { readPermission: 'deliberation.read', notFound });
  return d;
}

/**
 * Moves a decision forward (open → in progress → done) and records its outcome, which residents see on the topic.
 * @throws DELIB_DECISION_NOT_FOUND, OUT_OF_SCOPE, DELIB_DECISION_STATE
 */
export async function updateDecision(db: Db, ctx: Ctx, id: number, body: DecisionPatch): Promise<DecisionView> {
  return db.transaction(async (tx) => {
    const d = await managedDecision(tx, ctx, id);
    if (body.status !== undefined && !canMoveDecision(d.status, body.status)) {
      throw new AppError('DELIB_DECISION_STATE', { field: 'status', params: { from: d.status, to: body.status } });
    }
    await repo.updateDecision(tx, id, {
      ...(body.status !== undefined ? { status: body.status } : {}),
      ...(body.outcome !== undefined ? { outcome: body.outcome } : {}),
      ...(body.owner !== undefined ? { owner: body.owner } : {}),
    });
    await recordAudit(tx, ctx, {
      action: 'delib.decision.update',
      targetType: 'delib_decision',
      targetId: id,
      targetLabel: d.title,
      scopePath: d.node_path,
      countyId: d.county_id,
      before: { status: d.status, outcome: d.outcome, owner: d.owner },
      after: { status: body.status ?? d.status, outcome: body.outcome ?? d.outcome, owner: body.owner ?? d.owner },
    });
    return decisionViewOf((await repo.findDecision(tx, id))!);
  });
}

/**
 * Opens a case (事件) for a decision through the cases service, at the meeting's node, and links it; the decision
 * moves to in progress.
 * @throws DELIB_DECISION_NOT_FOUND, OUT_OF_SCOPE, DELIB_DECISION_HAS_CASE, and reportCase's errors
 */
export async function openDecisionCase(
  deps: DeliberationDeps,
  ctx: Ctx,
  id: number,
  body: DecisionCaseBody,
): Promise<DecisionView> {
  const d = await managedDecision(deps.db, ctx, id);
  if (d.case_id !== null) throw new AppError('DELIB_DECISION_HAS_CASE');
  let nodeId = d.node_id;
  if (body.nodeId !== undefined) {
    const node = await repo.findNode(deps.db, body.nodeId);
    if (!node || !node.path.startsWith(d.node_path)) throw new AppError('CASE_PLACE_OUTSIDE', { field: 'nodeId' });
    nodeId = node.id;
  }
  const c = await reportCase(deps, ctx, {
    categoryId: body.categoryId,
    title: d.title.slice(0, 100),
    description: body.description ?? `${d.meeting_title}：${d.title}`,
    place: { nodeId },
    source: 'worker',
  });
  return deps.db.transaction(async (tx) => {
    await repo.updateDecision(tx, id, { caseId: c.id, ...(d.status === 'open' ? { status: 'in_progress' } : {}) });
    await recordAudit(tx, ctx, {
      action: 'delib.decision.case',
      targetType: 'delib_decision',
      targetId: id,
      targetLabel: d.title,
      scopePath: d.node_path,
      countyId: d.county_id,
      before: { caseId: null, status: d.status },
      after: { caseId: c.id, status: d.status === 'open' ? 'in_progress' : d.status },
    });
    return decisionViewOf((await repo.findDecision(tx, id))!);
  });
}
