/**
 * Partners (红色合伙人): pure rules. The unified social credit code (统一社会信用代码, GB 32100-2015) is 18 characters
 * of 0-9 and the capitals without I, O, S, V, Z; its last character is a check digit over the first 17 (weights
 * 3^i mod 31).
 */

export const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of the first 17 characters of a credit code, or null when one of them is not allowed. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  const c = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARS[c]!;
}

/** A credit code as typed (spaces dropped, lower case raised), or null when it is not a valid one. */
export function normaliseCreditCode(raw: string): string | null {
  const code = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return null;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? code : null;
}

export const ORG_KINDS = ['company', 'social_org', 'institution', 'other'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const ORG_STATUSES = ['applied', 'approved', 'rejected', 'suspended'] as const;
export type OrgStatus = (typeof ORG_STATUSES)[number];

export const PROJECT_CATEGORIES = [
  'elderly_care',
  'children',
  'environment',
  'culture',
  'health',
  'skills',
  'other',
] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<ProjectCategory, { 'zh-CN': string; en: string }> = {
  elderly_care: { 'zh-CN': '助老', en: 'Elderly care' },
  children: { 'zh-CN': '关爱儿童', en: 'Children' },
  environment: { 'zh-CN': '环境整治', en: 'Environment' },
  culture: { 'zh-CN': '文化', en: 'Culture' },
  health: { 'zh-CN': '义诊', en: 'Health' },
  skills: { 'zh-CN': '技能培训', en: 'Skills training' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

export const CLAIM_STATUSES = ['claimed', 'delivered', 'confirmed', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const DELIVERY_STATUSES = ['submitted', 'confirmed', 'rejected'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Why a project cannot be claimed now, or null: closed (or past its closing day), or full. */
export function claimRefusal(
  project: { status: 'open' | 'closed'; closesOn: string | null; maxClaims: number; activeClaims: number },
  today: string,
): 'PARTNER_PROJECT_CLOSED' | 'PARTNER_PROJECT_FULL' | null {
  if (project.status !== 'open' || (project.closesOn !== null && project.closesOn < today)) {
    return 'PARTNER_PROJECT_CLOSED';
  }
  if (project.activeClaims >= project.maxClaims) return 'PARTNER_PROJECT_FULL';
  return null;
}

/** What a claim may do next: a delivery while claimed (or after one was rejected), a withdrawal only before any. */
export function claimCan(status: ClaimStatus): { deliver: boolean; withdraw: boolean } {
  return { deliver: status === 'claimed' || status === 'delivered', withdraw: status === 'claimed' };
}
