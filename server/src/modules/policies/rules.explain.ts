/**
 * Explanations of a policy result (政策找人 · why): which conditions a person met and which they missed, with the
 * values the run read, and a plain-language paragraph a worker can read to the resident (PIPL Art 24: the machine
 * proposes, a person decides, and the resident may object). Pure: no I/O.
 *
 * A leaf is "satisfied" when it went the way the rule wants it: held, or — under an odd number of `not`s — did not
 * hold. `met` lists the satisfied leaves. `failed` lists, for a near miss, the leaves whose flip alone would make the
 * rule hold and that are near (`fieldNear` on the stored fact; never under a `not`) — for a pure AND rule exactly
 * the one false leaf; for an OR of ANDs, the near missing leaf of each branch one flip away —; for an eligible
 * person, none; for anyone else, every unsatisfied leaf.
 */
import type { FieldCondition, Leaf, PolicyCondition, TagCondition } from './rules.logic.js';
import { fieldNear, POLICY_FIELDS, type Scalar, valueText } from './rules.logic.js';

export type ExplainLang = 'zh-CN' | 'en';

export type ExplainItem = {
  index: number;
  /** The leaf's label ("年龄 ≥ 80"); it reads positively even under a `not` (see `negated`). */
  label: string;
  /** The value the run read (facts), null when not recorded. */
  value: string | number | boolean | null;
  /** The value as a person reads it (enum labels, 是/否, 未登记). */
  valueText: string;
  /** The rule wants this leaf NOT to hold (it sits under an odd number of `not`s). */
  negated: boolean;
  /** The leaf's condition (for phrasing). */
  condition: FieldCondition | TagCondition | PolicyCondition;
};

export type Explanation = { met: ExplainItem[]; failed: ExplainItem[] };

/** The key under which a result's `facts` holds a leaf's value: a field code, 'tag:<code>', 'eligible:<code>', 'receiving:<code>'. */
export function factKey(cond: FieldCondition | TagCondition | PolicyCondition): string {
  if ('tag' in cond) return `tag:${cond.tag}`;
  if ('policy' in cond) return `${cond.state}:${cond.policy}`;
  return cond.field;
}

type Node =
  | { kind: 'all' | 'any'; children: Node[] }
  | { kind: 'not'; child: Node | null }
  | { kind: 'leaf'; index: number };

/** The rule's shape, rebuilt from its leaves' paths ('all.1.any.0', 'not', '' for a single leaf). */
export function shapeFromLeaves(leaves: readonly Leaf[]): Node | null {
  let root: Node | null = null;
  for (const leaf of leaves) {
    const tokens = leaf.path === '' ? [] : leaf.path.split('.');
    const place = (at: Node | null, i: number): Node => {
      if (i >= tokens.length) return { kind: 'leaf', index: leaf.index };
      const t = tokens[i]!;
      if (t === 'not') {
        const n = at && at.kind === 'not' ? at : { kind: 'not' as const, child: null as Node | null };
        n.child = place(n.child, i + 1);
        return n;
      }
      const kind: 'all' | 'any' = t === 'all' ? 'all' : 'any';
      const n = at && at.kind === kind ? at : { kind, children: [] as Node[] };
      const pos = Number(tokens[i + 1]);
      n.children[pos] = place(n.children[pos] ?? null, i + 2);
      return n;
    };
    root = place(root, 0);
  }
  return root;
}

function holds(n: Node | null, mask: bigint): boolean {
  if (!n) return false;
  switch (n.kind) {
    case 'leaf':
      return (mask & (1n << BigInt(n.index))) !== 0n;
    case 'not':
      return !holds(n.child, mask);
    case 'all':
      return n.children.every((c) => holds(c, mask));
    case 'any':
      return n.children.some((c) => holds(c, mask));
  }
}

function negations(path: string): number {
  return path === '' ? 0 : path.split('.').filter((t) => t === 'not').length;
}

function leafValue(leaf: Leaf, facts: Record<string, unknown>): string | number | boolean | null {
  const v = facts[factKey(leaf.condition)];
  return v === undefined || v === null ? null : (v as string | number | boolean);
}

/** Whether a failing leaf is near (a number or date missed by its margin; never under a `not`). */
function nearLeaf(leaf: Leaf, facts: Record<string, unknown>): boolean {
  if (!('field' in leaf.condition) || negations(leaf.path) > 0) return false;
  return fieldNear(leaf.condition, leafValue(leaf, facts) as Scalar | null);
}

/** Which leaves a person met and missed, with the values used. `outcome` null = neither eligible nor a near miss. */
export function explainResult(
  leaves: readonly Leaf[],
  metMask: bigint | string | number,
  outcome: 'eligible' | 'near_miss' | null,
  facts: Record<string, unknown>,
  lang: ExplainLang,
): Explanation {
  const mask = BigInt(metMask);
  const shape = shapeFromLeaves(leaves);
  const item = (leaf: Leaf): ExplainItem => {
    const value = leafValue(leaf, facts);
    const field = 'field' in leaf.condition ? leaf.condition.field : null;
    return {
      index: leaf.index,
      label: lang === 'zh-CN' ? leaf.zh : leaf.en,
      value,
      valueText: valueText(field, value, lang === 'zh-CN' ? 'zh' : 'en'),
      negated: negations(leaf.path) % 2 === 1,
      condition: leaf.condition,
    };
  };
  const met: ExplainItem[] = [];
  const failed: ExplainItem[] = [];
  for (const leaf of leaves) {
    const held = (mask & (1n << BigInt(leaf.index))) !== 0n;
    const satisfied = held !== (negations(leaf.path) % 2 === 1);
    if (satisfied) met.push(item(leaf));
    else if (outcome === null) failed.push(item(leaf));
    else if (outcome === 'near_miss' && nearLeaf(leaf, facts) && holds(shape, mask ^ (1n << BigInt(leaf.index))))
      failed.push(item(leaf));
  }
  return { met, failed };
}

export type PolicyForText = { name: string; legalRef: string; residentText: string; handledBy: string | null };

/** The name in a tag or policy label ("持有标签：残疾人" → "残疾人"). */
function labelName(label: string): string {
  const zh = label.indexOf('：');
  if (zh >= 0) return label.slice(zh + 1);
  const en = label.indexOf(': ');
  return en >= 0 ? label.slice(en + 2) : label;
}

/** How a condition the person met reads in a sentence to them ("年满80周岁", "户籍类型为本地城镇", "独居"). */
function metPhrase(it: ExplainItem, lang: ExplainLang): string {
  const zh = lang === 'zh-CN';
  const c = it.condition;
  if ('tag' in c) {
    const name = labelName(it.label);
    if (zh) return it.negated ? `未登记为“${name}”` : `登记为“${name}”`;
    return it.negated ? `not recorded as "${name}"` : `recorded as "${name}"`;
  }
  if ('policy' in c) {
    const name = labelName(it.label);
    if (c.state === 'receiving') {
      if (zh) return it.negated ? `目前未享受${name}` : `正在享受${name}`;
      return it.negated ? `not receiving ${name} yet` : `receiving ${name}`;
    }
    if (zh) return it.negated ? `不在${name}的范围内` : `符合${name}的条件`;
    return it.negated ? `outside ${name}` : `within ${name}`;
  }
  const def = POLICY_FIELDS[c.field];
  if (c.field === 'age' && !it.negated && (c.op === '>=' || c.op === '>') && typeof c.value === 'number') {
    const n = c.op === '>=' ? c.value : c.value + 1;
    return zh ? `年满${n}周岁` : `aged ${n} or over`;
  }
  if (c.field === 'age' && it.value !== null) return zh ? `现年${it.value}周岁` : `aged ${it.value}`;
  if (c.field === 'lives_alone') {
    const alone = it.value === true;
    return zh ? (alone ? '独居' : '非独居') : alone ? 'living alone' : 'not living alone';
  }
  if (it.value === null) return zh ? `${def.zh}未登记` : `${def.en.toLowerCase()} not recorded`;
  return zh ? `${def.zh}为${it.valueText}` : `${def.en.toLowerCase()} ${it.valueText}`;
}

/** How a condition the person missed reads ("尚不满足“年龄 ≥ 80”（登记为 78）"). */
function failedPhrase(it: ExplainItem, lang: ExplainLang): string {
  const zh = lang === 'zh-CN';
  const recorded = 'field' in it.condition ? (zh ? `（登记为${it.valueText}）` : ` (recorded: ${it.valueText})`) : '';
  if (it.negated) return zh ? `属于“${it.label}”的情形${recorded}` : `"${it.label}" applies${recorded}`;
  return zh ? `尚不满足“${it.label}”${recorded}` : `"${it.label}" is not met${recorded}`;
}

/**
 * A paragraph a worker can read to the resident: the legal basis, the conditions they meet (and, for a near miss,
 * the one they miss), that this is a possibility to be confirmed by review — not a decision —, who handles it, and
 * how to object.
 */
export function residentText(policy: PolicyForText, explanation: Explanation, lang: ExplainLang): string {
  const zh = lang === 'zh-CN';
  const met = explanation.met.map((it) => metPhrase(it, lang));
  const failed = explanation.failed.map((it) => failedPhrase(it, lang));
  const parts: string[] = [];
  const ref = policy.legalRef.trim();
  const handler = policy.handledBy?.trim() || null;
  if (zh) {
    const who = met.length ? `您${met.join('、')}，` : '';
    if (failed.length === 0) {
      parts.push(`根据${ref}，${who}可能符合${policy.name}的申领条件。是否符合以审核为准。`);
    } else {
      parts.push(
        `根据${ref}，${who}但${failed.join('，或')}，目前暂不符合${policy.name}的申领条件；如情况有变化或登记信息有误，请告诉我们。`,
      );
    }
    if (policy.residentText.trim()) parts.push(policy.residentText.trim());
    if (handler && failed.length === 0) parts.push(`如需申请，可由${handler}办理，网格员可以协助您。`);
    parts.push(
      `以上结果由系统根据已登记的信息比对得出，不会自动为您办理，也不是最终决定：最终由工作人员核实后决定。如您认为信息有误或对结果有异议，可以向网格员${handler ? `或${handler}` : ''}提出，我们将人工复核。`,
    );
    return parts.join('');
  }
  const who = met.length ? `you are ${met.join(', ')}, ` : '';
  if (failed.length === 0) {
    parts.push(`Under ${ref}, ${who}so you may qualify for ${policy.name}. Whether you qualify is decided on review.`);
  } else {
    parts.push(
      `Under ${ref}, ${who}but ${failed.join(', or ')}, so you do not qualify for ${policy.name} at present; if things change or a record is wrong, please tell us.`,
    );
  }
  if (policy.residentText.trim()) parts.push(policy.residentText.trim());
  if (handler && failed.length === 0)
    parts.push(`${handler} handles applications; your grid worker can help you apply.`);
  parts.push(
    `This result was found by comparing the information on record; nothing is done for you automatically and it is not a decision: a member of staff checks and decides. If you think a record is wrong or disagree with the result, tell your grid worker${handler ? ` or ${handler}` : ''} and a person will review it.`,
  );
  return parts.join(' ');
}
