import type { Queryable } from '../../platform/db/client.js';

// ---- accounts and records -------------------------------------------------------------------------------------

export type AccountRow = {
  id: number;
  display_name: string;
  resident_id: number | null;
  verified_resident_id: number | null;
  verified_at: Date | null;
};

export async function findAccount(q: Queryable, userId: number): Promise<AccountRow | undefined> {
  const [r] = await q.query<AccountRow>(
    'SELECT id, display_name, resident_id, verified_resident_id, verified_at FROM users WHERE id = $1',
    [userId],
  );
  return r;
}

export type RecordRow = {
  id: number;
  name: string;
  node_path: string;
  county_id: number;
  household_id: number | null;
  birth_date: string;
  status: string;
};

const RECORD_COLS = 'id, name, node_path, county_id, household_id, birth_date::text AS birth_date, status';

export async function findRecord(q: Queryable, id: number): Promise<RecordRow | undefined> {
  const [r] = await q.query<RecordRow>(`SELECT ${RECORD_COLS} FROM residents WHERE id = $1`, [id]);
  return r;
}

export async function findRecordByHashes(
  q: Queryable,
  idHash: Buffer,
  phoneHash: Buffer,
): Promise<RecordRow | undefined> {
  const [r] = await q.query<RecordRow>(
    `SELECT ${RECORD_COLS} FROM residents WHERE id_hash = $1 AND phone_hash = $2 AND status = 'active'`,
    [idHash, phoneHash],
  );
  return r;
}

export async function accountOfRecord(q: Queryable, residentId: number): Promise<number | null> {
  const [r] = await q.query<{ id: number }>('SELECT id FROM users WHERE resident_id = $1', [residentId]);
  return r?.id ?? null;
}

/** A place label for a path: the names of its community, grid, building and unit. */
export async function placeOf(q: Queryable, path: string): Promise<string> {
  const ids = path.split('/').filter(Boolean).map(Number);
  const rows = await q.query<{ name: string; type: string }>(
    `SELECT name, type FROM org_nodes WHERE id = ANY($1::bigint[]) ORDER BY depth`,
    [ids],
  );
  return rows
    .filter((r) => !['county', 'street', 'town'].includes(r.type))
    .map((r) => r.name)
    .join(' / ');
}

export type NodeRow = { id: number; name: string; type: string; path: string; county_id: number; status: string };

export async function findNode(q: Queryable, id: number): Promise<NodeRow | undefined> {
  const [r] = await q.query<NodeRow>('SELECT id, name, type, path, county_id, status FROM org_nodes WHERE id = $1', [
    id,
  ]);
  return r;
}

// ---- verification ---------------------------------------------------------------------------------------------

export type VerificationRow = {
  id: number;
  county_id: number;
  user_id: number;
  resident_id: number;
  node_path: string;
  status: 'pending' | 'approved' | 'rejected';
  requested_at: Date;
  decided_at: Date | null;
  note: string | null;
  account_name: string;
  resident_name: string;
};

const VERIFICATION_SELECT = `SELECT v.id, v.county_id, v.user_id, v.resident_id, v.node_path, v.status, v.requested_at,
    v.decided_at, v.note, u.display_name AS account_name, r.name AS resident_name
  FROM resident_verifications v JOIN users u ON u.id = v.user_id JOIN residents r ON r.id = v.resident_id`;

export async function latestVerification(q: Queryable, userId: number): Promise<VerificationRow | undefined> {
  const [r] = await q.query<VerificationRow>(`${VERIFICATION_SELECT} WHERE v.user_id = $1 ORDER BY v.id DESC LIMIT 1`, [
    userId,
  ]);
  return r;
}

export async function findVerification(q: Queryable, id: number, lock = false): Promise<VerificationRow | undefined> {
  const [r] = await q.query<VerificationRow>(
    `${VERIFICATION_SELECT} WHERE v.id = $1${lock ? ' FOR UPDATE OF v' : ''}`,
    [id],
  );
  return r;
}

export async function insertVerification(
  q: Queryable,
  v: { countyId: number; userId: number; residentId: number; nodePath: string },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO resident_verifications (county_id, user_id, resident_id, node_path, status)
     VALUES ($1, $2, $3, $4, 'pending') RETURNING id`,
    [v.countyId, v.userId, v.residentId, v.nodePath],
  );
  return r!.id;
}

export async function decideVerification(
  q: Queryable,
  id: number,
  status: 'approved' | 'rejected',
  by: number | null,
  note: string | null,
): Promise<void> {
  await q.query(
    `UPDATE resident_verifications SET status = $2, decided_at = now(), decided_by = $3, note = $4 WHERE id = $1`,
    [id, status, by, note],
  );
}

export async function bindAccount(q: Queryable, userId: number, residentId: number): Promise<void> {
  await q.query(
    'UPDATE users SET resident_id = $2, verified_resident_id = $2, verified_at = now(), updated_at = now() WHERE id = $1',
    [userId, residentId],
  );
}

export async function listVerifications(
  q: Queryable,
  scope: string,
  status: string | null,
  limit: number,
  offset: number,
): Promise<(VerificationRow & { total: number })[]> {
  return q.query(
    `${VERIFICATION_SELECT.replace('SELECT v.id,', 'SELECT count(*) OVER ()::int AS total, v.id,')}
      WHERE ${scope} AND ($1::text IS NULL OR v.status = $1)
      ORDER BY (v.status = 'pending') DESC, v.requested_at DESC, v.id DESC LIMIT $2 OFFSET $3`,
    [status, limit, offset],
  );
}

export async function pendingVerifications(
  q: Queryable,
  scope: string,
  limit: number,
): Promise<(VerificationRow & { total: number })[]> {
  return q.query(
    `${VERIFICATION_SELECT.replace('SELECT v.id,', 'SELECT count(*) OVER ()::int AS total, v.id,')}
      WHERE ${scope} AND v.status = 'pending' ORDER BY v.requested_at, v.id LIMIT $1`,
    [limit],
  );
}

// ---- topics ---------------------------------------------------------------------------------------------------

export type TopicRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  title: string;
  body: string;
  origin: 'resident' | 'community';
  status: 'pending' | 'open' | 'closed' | 'rejected';
  author_id: number | null;
  author_name: string;
  review_note: string | null;
  outcome: string | null;
  created_at: Date;
  opened_at: Date | null;
  closed_at: Date | null;
  comments: number;
  proposals: number;
  votes: number;
  open_votes: number;
};

const TOPIC_SELECT = `SELECT t.id, t.county_id, t.node_id, t.node_path, n.name AS node_name, t.title, t.body, t.origin,
    t.status, t.author_id, t.author_name, t.review_note, t.outcome, t.created_at, t.opened_at, t.closed_at,
    (SELECT count(*)::int FROM delib_comments c WHERE c.topic_id = t.id AND c.status = 'visible') AS comments,
    (SELECT count(*)::int FROM delib_proposals p WHERE p.topic_id = t.id) AS proposals,
    (SELECT count(*)::int FROM delib_votes v WHERE v.topic_id = t.id) AS votes,
    (SELECT count(*)::int FROM delib_votes v WHERE v.topic_id = t.id AND v.status = 'open' AND v.deadline > now())
      AS open_votes
  FROM delib_topics t JOIN org_nodes n ON n.id = t.node_id`;

export async function findTopic(q: Queryable, id: number): Promise<TopicRow | undefined> {
  const [r] = await q.query<TopicRow>(`${TOPIC_SELECT} WHERE t.id = $1`, [id]);
  return r;
}

export async function lockTopic(q: Queryable, id: number): Promise<{ status: string } | undefined> {
  const [r] = await q.query<{ status: string }>('SELECT status FROM delib_topics WHERE id = $1 FOR UPDATE', [id]);
  return r;
}

/** Topics whose node path satisfies `where` (an SQL condition over t.node_path and t.status). */
export async function listTopics(
  q: Queryable,
  where: string,
  params: unknown[],
  limit: number,
  offset: number,
): Promise<(TopicRow & { total: number })[]> {
  const n = params.length;
  return q.query(
    `${TOPIC_SELECT.replace('SELECT t.id,', 'SELECT count(*) OVER ()::int AS total, t.id,')}
      WHERE ${where} ORDER BY (t.status = 'pending') DESC, (t.status = 'open') DESC, t.created_at DESC, t.id DESC
      LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, limit, offset],
  );
}

export async function insertTopic(
  q: Queryable,
  t: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    title: string;
    body: string;
    origin: 'resident' | 'community';
    status: 'pending' | 'open';
    authorId: number | null;
    authorName: string;
  },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO delib_topics (county_id, node_id, node_path, title, body, origin, status, author_id, author_name,
       opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $7 = 'open' THEN now() END) RETURNING id`,
    [t.countyId, t.nodeId, t.nodePath, t.title, t.body, t.origin, t.status, t.authorId, t.authorName],
  );
  return r!.id;
}

export async function setTopicStatus(
  q: Queryable,
  id: number,
  status: 'open' | 'rejected' | 'closed',
  note: string | null,
): Promise<void> {
  await q.query(
    `UPDATE delib_topics SET status = $2,
       review_note = CASE WHEN $2 IN ('open', 'rejected') THEN $3 ELSE review_note END,
       outcome = CASE WHEN $2 = 'closed' THEN $3 ELSE outcome END,
       opened_at = CASE WHEN $2 = 'open' THEN now() ELSE opened_at END,
       closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END
     WHERE id = $1`,
    [id, status, note],
  );
}

/** Pending resident topics under the scope, for "my tasks"-like queues. */
// ---- comments -------------------------------------------------------------------------------------------------

export type CommentRow = {
  id: number;
  topic_id: number;
  parent_id: number | null;
  author_id: number | null;
  author_name: string;
  body: string;
  status: 'visible' | 'hidden' | 'removed';
  reports: number;
  reviewed: boolean;
  created_at: Date;
};

const COMMENT_COLS = 'id, topic_id, parent_id, author_id, author_name, body, status, reports, reviewed, created_at';

export async function listComments(q: Queryable, topicId: number): Promise<CommentRow[]> {
  return q.query(`SELECT ${COMMENT_COLS} FROM delib_comments WHERE topic_id = $1 ORDER BY id`, [topicId]);
}

export async function findComment(q: Queryable, id: number, lock = false): Promise<CommentRow | undefined> {
  const [r] = await q.query<CommentRow>(
    `SELECT ${COMMENT_COLS} FROM delib_comments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r;
}

export async function insertComment(
  q: Queryable,
  c: { topicId: number; parentId: number | null; authorId: number; authorName: string; body: string },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO delib_comments (topic_id, parent_id, author_id, author_name, body) VALUES ($1, $2, $3, $4, $5)
     RETURNING id`,
    [c.topicId, c.parentId, c.authorId, c.authorName, c.body],
  );
  return r!.id;
}

export async function insertReport(
  q: Queryable,
  commentId: number,
  userId: number,
  reason: string | null,
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO delib_comment_reports (comment_id, user_id, reason) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING comment_id`,
    [commentId, userId, reason],
  );
  return rows.length > 0;
}

export async function updateComment(
  q: Queryable,
  id: number,
  set: { status: string; reports?: number; reviewed?: boolean },
): Promise<void> {
  await q.query(
    `UPDATE delib_comments SET status = $2, reports = COALESCE($3, reports), reviewed = COALESCE($4, reviewed)
     WHERE id = $1`,
    [id, set.status, set.reports ?? null, set.reviewed ?? null],
  );
}

export async function moderationQueue(
  q: Queryable,
  scope: string,
): Promise<(CommentRow & { topic_title: string; reasons: string[] })[]> {
  return q.query(
    `SELECT c.id, c.topic_id, c.parent_id, c.author_id, c.author_name, c.body, c.status, c.reports, c.reviewed,
       c.created_at, t.title AS topic_title,
       COALESCE((SELECT array_agg(r.reason ORDER BY r.created_at) FROM delib_comment_reports r
                  WHERE r.comment_id = c.id AND r.reason IS NOT NULL), '{}') AS reasons
       FROM delib_comments c JOIN delib_topics t ON t.id = c.topic_id
      WHERE ${scope} AND NOT c.reviewed AND (c.status = 'hidden' OR (c.status = 'visible' AND c.reports > 0))
      ORDER BY (c.status = 'hidden') DESC, c.reports DESC, c.id LIMIT 200`,
  );
}

// ---- proposals ------------------------------------------------------------------------------------------------

export type ProposalRow = {
  id: number;
  topic_id: number;
  author_name: string;
  title: string;
  body: string;
  created_at: Date;
  supports: number;
  supported_by_me: boolean;
};

export async function listProposals(q: Queryable, topicId: number, residentId: number | null): Promise<ProposalRow[]> {
  return q.query(
    `SELECT p.id, p.topic_id, p.author_name, p.title, p.body, p.created_at,
       (SELECT count(*)::int FROM delib_supports s WHERE s.proposal_id = p.id) AS supports,
       EXISTS (SELECT 1 FROM delib_supports s WHERE s.proposal_id = p.id AND s.resident_id = $2) AS supported_by_me
       FROM delib_proposals p WHERE p.topic_id = $1 ORDER BY p.id`,
    [topicId, residentId],
  );
}

export async function findProposal(q: Queryable, id: number): Promise<{ id: number; topic_id: number } | undefined> {
  const [r] = await q.query<{ id: number; topic_id: number }>(
    'SELECT id, topic_id FROM delib_proposals WHERE id = $1',
    [id],
  );
  return r;
}

export async function insertProposal(
  q: Queryable,
  p: { topicId: number; authorId: number; authorName: string; title: string; body: string },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO delib_proposals (topic_id, author_id, author_name, title, body) VALUES ($1, $2, $3, $4, $5)
     RETURNING id`,
    [p.topicId, p.authorId, p.authorName, p.title, p.body],
  );
  return r!.id;
}

export async function insertSupport(q: Queryable, proposalId: number, residentId: number): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO delib_supports (proposal_id, resident_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING proposal_id`,
    [proposalId, residentId],
  );
  return rows.length > 0;
}

// ---- votes ----------------------------------------------------------------------------------------------------

export type VoteRow = {
  id: number;
  topic_id: number;
  question: string;
  rule: 'per_resident' | 'per_household';
  secrecy: 'secret' | 'open';
  quorum_kind: 'share' | 'count';
  quorum_value: string;
  deadline: Date;
  status: 'open' | 'closed';
  closed_at: Date | null;
};

const VOTE_COLS = 'id, topic_id, question, rule, secrecy, quorum_kind, quorum_value, deadline, status, closed_at';

export async function listVotes(q: Queryable, topicId: number): Promise<VoteRow[]> {
  return q.query(`SELECT ${VOTE_COLS} FROM delib_votes WHERE topic_id = $1 ORDER BY id`, [topicId]);
}

export async function findVote(q: Queryable, id: number, lock = false): Promise<VoteRow | undefined> {
  const [r] = await q.query<VoteRow>(`SELECT ${VOTE_COLS} FROM delib_votes WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return r;
}

export async function insertVote(
  q: Queryable,
  v: {
    topicId: number;
    question: string;
    rule: string;
    secrecy: string;
    quorumKind: string;
    quorumValue: number;
    deadline: string;
    createdBy: number | null;
    options: string[];
  },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO delib_votes (topic_id, question, rule, secrecy, quorum_kind, quorum_value, deadline, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [v.topicId, v.question, v.rule, v.secrecy, v.quorumKind, v.quorumValue, v.deadline, v.createdBy],
  );
  const id = r!.id;
  await q.query(
    `INSERT INTO delib_vote_options (vote_id, position, label)
     SELECT $1, o.ord, o.label FROM unnest($2::text[]) WITH ORDINALITY AS o (label, ord)`,
    [id, v.options],
  );
  return id;
}

export async function closeVote(q: Queryable, id: number): Promise<void> {
  await q.query(`UPDATE delib_votes SET status = 'closed', closed_at = now() WHERE id = $1`, [id]);
}

export async function listOptions(
  q: Queryable,
  voteIds: number[],
): Promise<{ id: number; vote_id: number; label: string }[]> {
  if (voteIds.length === 0) return [];
  return q.query(
    'SELECT id, vote_id, label FROM delib_vote_options WHERE vote_id = ANY($1::bigint[]) ORDER BY position',
    [voteIds],
  );
}

export async function ballotOptions(q: Queryable, voteId: number): Promise<number[]> {
  const rows = await q.query<{ option_id: number }>('SELECT option_id FROM delib_ballots WHERE vote_id = $1', [voteId]);
  return rows.map((r) => r.option_id);
}

export async function votersOf(
  q: Queryable,
  voteId: number,
): Promise<{ resident_id: number; unit_key: string; cast_at: Date; name: string }[]> {
  return q.query(
    `SELECT v.resident_id, v.unit_key, v.cast_at, r.name FROM delib_voters v JOIN residents r ON r.id = v.resident_id
      WHERE v.vote_id = $1`,
    [voteId],
  );
}

export async function myBallot(
  q: Queryable,
  voteId: number,
  residentId: number,
): Promise<{ voted: boolean; optionId: number | null }> {
  const [v] = await q.query<{ resident_id: number }>(
    'SELECT resident_id FROM delib_voters WHERE vote_id = $1 AND resident_id = $2',
    [voteId, residentId],
  );
  if (!v) return { voted: false, optionId: null };
  const [b] = await q.query<{ option_id: number }>(
    'SELECT option_id FROM delib_ballots WHERE vote_id = $1 AND resident_id = $2',
    [voteId, residentId],
  );
  return { voted: true, optionId: b?.option_id ?? null };
}

export async function insertBallot(
  q: Queryable,
  b: { voteId: number; residentId: number; unitKey: string; optionId: number; named: boolean },
): Promise<Date> {
  const [r] = await q.query<{ cast_at: Date }>(
    'INSERT INTO delib_voters (vote_id, resident_id, unit_key) VALUES ($1, $2, $3) RETURNING cast_at',
    [b.voteId, b.residentId, b.unitKey],
  );
  await q.query('INSERT INTO delib_ballots (vote_id, option_id, resident_id) VALUES ($1, $2, $3)', [
    b.voteId,
    b.optionId,
    b.named ? b.residentId : null,
  ]);
  return r!.cast_at;
}

/**
 * Eligible units under a node on a day: verified accounts' records (the record the account was verified for and is
 * still linked to), active, born on or before `latestBirth`; counted by resident or by household.
 */
export async function countEligible(
  q: Queryable,
  nodePath: string,
  latestBirth: string,
  rule: 'per_resident' | 'per_household',
): Promise<number> {
  const unit =
    rule === 'per_household' ? `COALESCE('h:' || r.household_id::text, 'r:' || r.id::text)` : `'r:' || r.id::text`;
  const [row] = await q.query<{ n: number }>(
    `SELECT count(DISTINCT ${unit})::int AS n FROM users u JOIN residents r ON r.id = u.resident_id
      WHERE u.verified_resident_id = u.resident_id AND NOT u.disabled AND r.status = 'active'
        AND r.node_path LIKE $1 || '%' AND r.birth_date <= $2::date`,
    [nodePath, latestBirth],
  );
  return row?.n ?? 0;
}

// ---- meetings and decisions ---------------------------------------------------------------------------------------

export type MeetingRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  topic_id: number | null;
  topic_title: string | null;
  title: string;
  held_at: Date;
  place: string | null;
  agenda: string;
  attendance: { party: 'committee' | 'property' | 'owners' | 'other'; name: string; present: boolean }[];
  minutes: string;
  decisions: number;
  decisions_done: number;
};

const MEETING_SELECT = `SELECT m.id, m.county_id, m.node_id, m.node_path, n.name AS node_name, m.topic_id,
    t.title AS topic_title, m.title, m.held_at, m.place, m.agenda, m.attendance, m.minutes,
    (SELECT count(*)::int FROM delib_decisions d WHERE d.meeting_id = m.id) AS decisions,
    (SELECT count(*)::int FROM delib_decisions d WHERE d.meeting_id = m.id AND d.status = 'done') AS decisions_done
  FROM delib_meetings m JOIN org_nodes n ON n.id = m.node_id LEFT JOIN delib_topics t ON t.id = m.topic_id`;

export async function findMeeting(q: Queryable, id: number): Promise<MeetingRow | undefined> {
  const [r] = await q.query<MeetingRow>(`${MEETING_SELECT} WHERE m.id = $1`, [id]);
  return r;
}

export async function listMeetings(
  q: Queryable,
  scope: string,
  limit: number,
  offset: number,
): Promise<(MeetingRow & { total: number })[]> {
  return q.query(
    `${MEETING_SELECT.replace('SELECT m.id,', 'SELECT count(*) OVER ()::int AS total, m.id,')}
      WHERE ${scope} ORDER BY m.held_at DESC, m.id DESC LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
}

export async function insertMeeting(
  q: Queryable,
  m: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    topicId: number | null;
    title: string;
    heldAt: string;
    place: string | null;
    agenda: string;
    attendance: unknown[];
    minutes: string;
    createdBy: number | null;
  },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO delib_meetings (county_id, node_id, node_path, topic_id, title, held_at, place, agenda, attendance,
       minutes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11) RETURNING id`,
    [
      m.countyId,
      m.nodeId,
      m.nodePath,
      m.topicId,
      m.title,
      m.heldAt,
      m.place,
      m.agenda,
      JSON.stringify(m.attendance),
      m.minutes,
      m.createdBy,
    ],
  );
  return r!.id;
}

export async function updateMeeting(
  q: Queryable,
  id: number,
  set: { agenda?: string; attendance?: unknown[]; minutes?: string },
): Promise<void> {
  await q.query(
    `UPDATE delib_meetings SET agenda = COALESCE($2, agenda), attendance = COALESCE($3::jsonb, attendance),
       minutes = COALESCE($4, minutes) WHERE id = $1`,
    [id, set.agenda ?? null, set.attendance ? JSON.stringify(set.attendance) : null, set.minutes ?? null],
  );
}

export type DecisionRow = {
  id: number;
  meeting_id: number;
  meeting_title: string;
  held_at: Date;
  node_path: string;
  county_id: number;
  node_id: number;
  topic_id: number | null;
  title: string;
  owner: string | null;
  status: 'open' | 'in_progress' | 'done';
  case_id: number | null;
  case_no: string | null;
  outcome: string | null;
  updated_at: Date;
  done_at: Date | null;
};

const DECISION_SELECT = `SELECT d.id, d.meeting_id, m.title AS meeting_title, m.held_at, m.node_path, m.county_id,
    m.node_id, m.topic_id, d.title, d.owner, d.status, d.case_id, c.case_no, d.outcome, d.updated_at, d.done_at
  FROM delib_decisions d JOIN delib_meetings m ON m.id = d.meeting_id LEFT JOIN cases c ON c.id = d.case_id`;

export async function findDecision(q: Queryable, id: number): Promise<DecisionRow | undefined> {
  const [r] = await q.query<DecisionRow>(`${DECISION_SELECT} WHERE d.id = $1`, [id]);
  return r;
}

export async function decisionsOfMeeting(q: Queryable, meetingId: number): Promise<DecisionRow[]> {
  return q.query(`${DECISION_SELECT} WHERE d.meeting_id = $1 ORDER BY d.id`, [meetingId]);
}

export async function decisionsOfTopic(q: Queryable, topicId: number): Promise<DecisionRow[]> {
  return q.query(`${DECISION_SELECT} WHERE m.topic_id = $1 ORDER BY m.held_at, d.id`, [topicId]);
}

export async function insertDecision(
  q: Queryable,
  d: { meetingId: number; title: string; owner: string | null },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    'INSERT INTO delib_decisions (meeting_id, title, owner) VALUES ($1, $2, $3) RETURNING id',
    [d.meetingId, d.title, d.owner],
  );
  return r!.id;
}

export async function updateDecision(
  q: Queryable,
  id: number,
  set: { status?: string; outcome?: string; owner?: string; caseId?: number },
): Promise<void> {
  await q.query(
    `UPDATE delib_decisions SET status = COALESCE($2, status), outcome = COALESCE($3, outcome),
       owner = COALESCE($4, owner), case_id = COALESCE($5, case_id), updated_at = now(),
       done_at = CASE WHEN $2 = 'done' THEN now() ELSE done_at END
     WHERE id = $1`,
    [id, set.status ?? null, set.outcome ?? null, set.owner ?? null, set.caseId ?? null],
  );
}
