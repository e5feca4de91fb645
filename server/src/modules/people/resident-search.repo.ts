/**
 * Resident search: what the service asks (`ResidentSearch`, values only), the plan that answers it
 * (`chooseSearchPlan`) and the SQL of each plan. PostgreSQL cannot see that a community's residents sit together
 * in id order (an import loads them together), nor that a tag and an age range may exclude each other, so left
 * alone it pages along the primary key and may read most of the table to fill a page, or to count one. The
 * plans say where to start instead; each is one statement that returns the page with the count.
 */
import { type Scope, scopeSql } from '../../platform/access/scope.js';
import type { Queryable, Tx } from '../../platform/db/client.js';
import { RESIDENT_COLS, type ResidentRow } from './people.repo.js';

/** A name, as the service classified the text typed: an ID or phone number (by hash), pinyin or a name prefix. */
export type NameMatch = { by: 'id_hash' | 'phone_hash'; hash: Buffer } | { by: 'pinyin' | 'name'; prefix: string };

export type ResidentSearch = {
  /** Every one must hold: the caller's data scope and, if asked, the node chosen. */
  areas: Scope[];
  status: 'active' | 'moved_out' | 'deceased' | 'all';
  sex?: 'male' | 'female';
  /** An age range as birth-date cut-offs (`birthRangeForAges`). */
  born?: { onOrBefore: string | null; after: string | null };
  name?: NameMatch;
  /** Text anywhere in the current or hukou address. */
  address?: string;
  tags?: { ids: number[]; mode: 'any' | 'all' };
  houseId?: number;
  /** Keyset paging: only residents with a greater id; `offset` counts from there. The count ignores it. */
  after?: number;
  limit: number;
  offset: number;
};

/**
 * - `id`: page along the primary key; for an area as wide as a county, where matches are dense.
 * - `matches`: collect every match first, then page: a name, an ID or a phone (few matches), an address
 *   (found through the bigram index, `text_bigrams`), or conditions that may match almost nobody in the area
 *   (an age range, a past status).
 * - `node`: each node of the area read along (node_path, id) up to a bound set by the nodes' first people,
 *   merged: the page costs about one probe per node plus the rows before it, whatever the area's ids. Deep
 *   pages go this way too when they come with a cursor (`after`), since the rows before it are skipped in
 *   the index.
 * - `holder`: the tag holders of the area from the (tag_id, node_path) index, in id order, each checked
 *   against the other conditions until the page and the count are full.
 * - `tag_born`: a tag with an age range that few people match (fewer than `TAG_BORN_MAX` in the area, counted
 *   first): the holders born in the range come from the (tag_id, birth_date) index of `resident_tags` (its
 *   birth_date is kept by trigger), sorted by id and probed until the page and the count are full. A
 *   combination that matches nobody costs an index lookup.
 * - `tag_ordered`: one tag with an age range that many match: the tag's holders in id order from the
 *   (tag_id, resident_id) index, whose birth date and path are checked inside the index, each match probed
 *   until the page and the count are full. Many matches means they come soon. (Several tags stay `tag_born`:
 *   PostgreSQL merges their holders by hashing them all, not in order.)
 */
export type SearchPlan = 'id' | 'matches' | 'node' | 'holder' | 'tag_born' | 'tag_ordered';

// Node by node, a page costs about nodes × rows before it; deeper pages collect the area's matches instead,
// unless they come with a cursor.
const NODE_PLAN_MAX_ROWS = 100;
/** Beyond this many holders born in the range, sorting them costs more than reading the tag in id order. */
export const TAG_BORN_MAX = 10_000;
/** Above any id, for a bound that does not bind. */
const MAX_ID = '9223372036854775807';

/** Characters in `s` (code points, as PostgreSQL's length counts them). */
const charCount = (s: string) => Array.from(s).length;

/** An address text long enough to look up by its bigrams (one character has none). */
export const usesAddressIndex = (address: string | undefined) => address !== undefined && charCount(address) >= 2;

/** Below a county (a street, community, grid, building) the area's people are few enough to read node by node. */
export function isBelowCounty(areas: Scope[]): boolean {
  return areas.some((s) => !s.all && s.paths.every((path) => path.split('/').length > 3));
}

/** The plan by the search's shape alone; a tag with an age range is `tag_born` until its holders are counted. */
export function chooseSearchPlan(s: ResidentSearch): SearchPlan {
  const belowCounty = isBelowCounty(s.areas);
  const hasAge = !!(s.born?.onOrBefore || s.born?.after);
  const isDense = !hasAge && !s.address && s.status !== 'moved_out' && s.status !== 'deceased';
  if (s.name || s.houseId !== undefined) return 'matches';
  if (s.tags && hasAge) return 'tag_born';
  if (s.tags && belowCounty && isDense) return 'holder';
  if (usesAddressIndex(s.address)) return 'matches';
  if (belowCounty && isDense && s.offset + s.limit <= NODE_PLAN_MAX_ROWS) return 'node';
  return belowCounty ? 'matches' : 'id';
}

/** Parameters collected while the SQL is written: `p(value)` returns its placeholder. */
class Params {
  readonly values: unknown[] = [];
  p(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The conditions over `residents r` besides the area, and what the tag plans start from. `area(column)` is
 * the area as a condition over a path column.
 */
function conditions(s: ResidentSearch, plan: SearchPlan, prm: Params, area: (column: string) => string) {
  const where: string[] = [];
  const p = (v: unknown) => prm.p(v);
  if (s.status !== 'all') where.push(`r.status = ${p(s.status)}`);
  if (s.sex) where.push(`r.sex = ${p(s.sex)}`);
  const born: string[] = [];
  if (s.born?.onOrBefore) born.push(`birth_date <= ${p(s.born.onOrBefore)}::date`);
  if (s.born?.after) born.push(`birth_date > ${p(s.born.after)}::date`);
  where.push(...born.map((c) => `r.${c}`));
  if (s.houseId !== undefined) where.push(`r.house_id = ${p(s.houseId)}`);
  const name = s.name;
  if (name?.by === 'id_hash') where.push(`r.id_hash = ${p(name.hash)}`);
  else if (name?.by === 'phone_hash') where.push(`r.phone_hash = ${p(name.hash)}`);
  else if (name?.by === 'pinyin') {
    const v = p(`${name.prefix.toLowerCase()}%`);
    where.push(`(r.name_pinyin LIKE ${v} OR r.name_initials LIKE ${v})`);
  } else if (name?.by === 'name') where.push(`r.name LIKE ${p(`${escapeLike(name.prefix)}%`)}`);
  if (s.address) {
    const v = p(`%${escapeLike(s.address)}%`);
    // The bigrams narrow the rows through the GIN index; LIKE is the condition itself.
    if (usesAddressIndex(s.address))
      where.push(
        `text_bigrams(coalesce(r.current_address, '') || E'\\n' || coalesce(r.hukou_address, '')) @> text_bigrams(${p(s.address)})`,
      );
    where.push(`(r.current_address LIKE ${v} OR r.hukou_address LIKE ${v})`);
  }
  let source = '';
  let ordered = '';
  if (s.tags) {
    const tagIds = s.tags.ids;
    let placeholder = '';
    // Only once used: PostgreSQL refuses a parameter the statement does not mention.
    const ids = () => {
      placeholder ||= p(tagIds);
      return placeholder;
    };
    const holderConds = [area('rt.node_path'), ...born.map((c) => `rt.${c}`)].join(' AND ');
    // Holders of any of the tags in the area come straight from the (tag_id, node_path) index, or with an age
    // range from the (tag_id, birth_date) index.
    const holders = () =>
      `SELECT rt.resident_id AS id FROM resident_tags rt WHERE rt.tag_id = ANY(${ids()}::bigint[]) AND ${holderConds}`;
    if (plan === 'holder' || plan === 'tag_born') source = holders();
    // One tag (the plan is for one): its holders in id order from the (tag_id, resident_id) index.
    if (plan === 'tag_ordered')
      ordered = `SELECT rt.resident_id AS id FROM resident_tags rt WHERE rt.tag_id = ${p(tagIds[0])}::bigint AND ${holderConds}`;
    if (s.tags.mode === 'all') {
      where.push(
        `(SELECT count(*) FROM resident_tags rt WHERE rt.resident_id = r.id AND rt.tag_id = ANY(${ids()}::bigint[])) = ${tagIds.length}`,
      );
    } else if (s.name) {
      // With a name, the tag is checked per candidate by an index probe.
      where.push(
        `(SELECT true FROM resident_tags rt WHERE rt.resident_id = r.id AND rt.tag_id = ANY(${ids()}::bigint[]) LIMIT 1)`,
      );
    } else if (plan !== 'holder' && plan !== 'tag_born' && plan !== 'tag_ordered') {
      where.push(`r.id IN (${holders()})`);
    }
  }
  return { where, source, ordered };
}

/**
 * Interactive searches read few pages; on a small server, starting parallel workers for them costs more
 * than it saves (tens of milliseconds when the CPUs are busy). Call first in the search's transaction.
 */
export async function disableParallelPlans(tx: Tx): Promise<void> {
  await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
}

/** A page of residents and a count capped at `countCap` (an exact count of a county costs more than the page). */
export async function searchResidents(
  q: Queryable,
  s: ResidentSearch,
  countCap: number,
  forced?: SearchPlan,
): Promise<{ rows: ResidentRow[]; total: number; plan: SearchPlan }> {
  const area = (column: string) => s.areas.map((a) => scopeSql(a, column)).join(' AND ');
  let plan = forced ?? chooseSearchPlan(s);
  // One tag's holders come in id order from its index; several would be merged by a sort of them all, which
  // is what tag_born does anyway.
  if (
    plan === 'tag_born' &&
    !forced &&
    s.tags?.ids.length === 1 &&
    (await countBornHolders(q, s, area)) >= TAG_BORN_MAX
  )
    plan = 'tag_ordered';
  const prm = new Params();
  const { where: conds, source, ordered } = conditions(s, plan, prm, area);
  const where = [area('r.node_path'), ...conds].join(' AND ');
  const limit = `${prm.p(s.limit)}::int`;
  const offset = `${prm.p(s.offset)}::int`;
  const cap = `${prm.p(countCap)}::int`;
  const after = s.after === undefined ? null : `${prm.p(s.after)}::bigint`;
  const isAfter = (col: string) => (after ? `${col} > ${after}` : 'TRUE');
  const k = `(${limit} + ${offset})`;
  // Per plan: CTEs before the page, the page's ids, and the count capped at `cap`.
  let ctes = '';
  let page: string;
  let counted: string;
  if (plan === 'matches') {
    ctes = `m AS MATERIALIZED (SELECT r.id FROM residents r WHERE ${where}),`;
    page = `SELECT id FROM m WHERE ${isAfter('id')} ORDER BY id LIMIT ${limit} OFFSET ${offset}`;
    counted = `SELECT least(count(*), ${cap}) FROM m`;
  } else if (plan === 'node') {
    // r.node_path = n.path puts the row in the area; the rest is checked along each node's (node_path, id).
    // f: each node's first match (after the cursor). If k nodes have one, the k-th smallest of them bounds the
    // page's ids (those k people are all matches), so only nodes that start below the bound are read, and only
    // up to it.
    const rest = conds.length ? conds.join(' AND ') : 'TRUE';
    const perNode = (path: string, cols: string, tail: string) =>
      `(SELECT ${cols} FROM residents r WHERE r.node_path = ${path} AND ${rest} ${tail})`;
    const firsts = (cursor: boolean) =>
      `SELECT n.path, x.id FROM org_nodes n
         CROSS JOIN LATERAL ${perNode('n.path', 'r.id', `AND ${cursor ? isAfter('r.id') : 'TRUE'} ORDER BY r.id LIMIT 1`)} x
        WHERE ${area('n.path')}`;
    ctes = `f AS MATERIALIZED (${firsts(true)}),
            bound AS (SELECT CASE WHEN count(*) >= ${k} THEN max(id) ELSE ${MAX_ID} END AS id
              FROM (SELECT id FROM f ORDER BY id LIMIT ${k}) t),
            ${after ? `f0 AS MATERIALIZED (${firsts(false)}),` : ''}`;
    page = `SELECT y.id FROM f CROSS JOIN bound
              CROSS JOIN LATERAL ${perNode('f.path', 'r.id', `AND ${isAfter('r.id')} AND r.id <= bound.id ORDER BY r.id LIMIT ${k}`)} y
             WHERE f.id <= bound.id ORDER BY y.id LIMIT ${limit} OFFSET ${offset}`;
    // The count is the area's, cursor or not: every node with a match, read up to the cap.
    counted = `SELECT count(*) FROM (SELECT 1 FROM ${after ? 'f0' : 'f'}
                 CROSS JOIN LATERAL ${perNode(`${after ? 'f0' : 'f'}.path`, '1', `LIMIT ${cap}`)} x LIMIT ${cap}) s`;
  } else if (plan === 'holder' || plan === 'tag_born') {
    // The candidates (tag holders of the area, born in the range for tag_born) in id order, each checked by
    // primary key (LIMIT 1 keeps it a probe) until the page and the count's cap are both reached: one pass
    // serves both. With a cursor, the page is a second pass from it.
    // The candidates are sorted before they are probed (a subquery's order the join keeps), or the planner
    // would probe them all and sort the matches.
    const cand = (from: string) =>
      `(SELECT DISTINCT id FROM (${source}) t WHERE ${from} ORDER BY id) cand
        CROSS JOIN LATERAL (SELECT 1 FROM residents r WHERE r.id = cand.id AND ${where} LIMIT 1) x`;
    ctes = `c AS MATERIALIZED (SELECT cand.id FROM ${cand('TRUE')} ORDER BY cand.id LIMIT greatest(${cap}, ${after ? '0' : k})),`;
    page = after
      ? `SELECT cand.id FROM ${cand(isAfter('id'))} ORDER BY cand.id LIMIT ${limit} OFFSET ${offset}`
      : `SELECT id FROM c ORDER BY id LIMIT ${limit} OFFSET ${offset}`;
    counted = `SELECT least(count(*), ${cap}) FROM c`;
  } else if (plan === 'tag_ordered') {
    // The holders in id order, each match probed, until the page and the count are full. GROUP BY at the level
    // of the LIMIT lets the planner keep the index's order (DISTINCT in a subquery would hash them all).
    const cand = (from: string) =>
      `(${ordered}) cand WHERE ${from} AND EXISTS (SELECT 1 FROM residents r WHERE r.id = cand.id AND ${where})
        GROUP BY cand.id ORDER BY cand.id`;
    ctes = `c AS MATERIALIZED (SELECT cand.id FROM ${cand('TRUE')} LIMIT greatest(${cap}, ${after ? '0' : k})),`;
    page = after
      ? `SELECT cand.id FROM ${cand(isAfter('cand.id'))} LIMIT ${limit} OFFSET ${offset}`
      : `SELECT id FROM c ORDER BY id LIMIT ${limit} OFFSET ${offset}`;
    counted = `SELECT least(count(*), ${cap}) FROM c`;
  } else {
    page = `SELECT r.id FROM residents r WHERE ${where} AND ${isAfter('r.id')} ORDER BY r.id LIMIT ${limit} OFFSET ${offset}`;
    counted = `SELECT count(*) FROM (SELECT 1 FROM residents r WHERE ${where} LIMIT ${cap}) s`;
  }
  // One statement; the count comes back even when the page is empty (a page past the end, no matches).
  const rows = await q.query<ResidentRow & { total: number }>(
    `WITH ${ctes} page AS (${page}), counted AS (SELECT (${counted})::int AS total)
     SELECT ${RESIDENT_COLS}, counted.total FROM counted
       LEFT JOIN (page JOIN residents r ON r.id = page.id LEFT JOIN houses h ON h.id = r.house_id) ON true
      ORDER BY r.id`,
    prm.values,
  );
  return { rows: rows.filter((r) => r.id !== null), total: rows[0]!.total, plan };
}

/** How many holders of the tags in the area are born in the range, counted up to `TAG_BORN_MAX` (an index range). */
async function countBornHolders(q: Queryable, s: ResidentSearch, area: (column: string) => string): Promise<number> {
  const prm = new Params();
  const conds = [`rt.tag_id = ANY(${prm.p(s.tags?.ids ?? [])}::bigint[])`, area('rt.node_path')];
  if (s.born?.onOrBefore) conds.push(`rt.birth_date <= ${prm.p(s.born.onOrBefore)}::date`);
  if (s.born?.after) conds.push(`rt.birth_date > ${prm.p(s.born.after)}::date`);
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM resident_tags rt WHERE ${conds.join(' AND ')} LIMIT ${prm.p(TAG_BORN_MAX)}::int) t`,
    prm.values,
  );
  return rows[0]!.n;
}
