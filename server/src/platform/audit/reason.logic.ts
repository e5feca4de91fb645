/**
 * Characters that print as nothing: controls, format characters (zero-width space and joiners, BOM, bidi marks),
 * default-ignorable code points (Hangul fillers, variation selectors, soft hyphen) and the braille blank.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
const SPACES = /\s+/gu;

/** Shortest reason accepted, in characters a reader can see. */
export const REASON_MIN_LENGTH = 2;
export const REASON_MAX_LENGTH = 200;

/**
 * A stated reason as a reader of the audit trail will see it: invisible characters removed, runs of white
 * space (including the ideographic space) made one space, trimmed.
 */
export function normalizeReason(raw: string): string {
  return raw.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

/** A reason cut to its visible length limit, or null when it has fewer than two visible characters. */
export function acceptableReason(raw: string | null | undefined): string | null {
  const reason = normalizeReason(raw ?? '');
  const chars = [...reason];
  if (chars.length < REASON_MIN_LENGTH) return null;
  return chars.length > REASON_MAX_LENGTH ? chars.slice(0, REASON_MAX_LENGTH).join('') : reason;
}

/** The purposes offered first when personal data is revealed or exported unmasked (free text stays possible). */
export const REASON_PURPOSES = ['上门走访', '核实身份', '政策申报', '紧急联系'] as const;
