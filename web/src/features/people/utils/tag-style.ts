/**
 * How a tag looks wherever it appears (console and phone): a colour that stays the same for the same tag,
 * and a short name for the small badges of the building map.
 */
type TagColor = { preset: string; hex: string };

const PALETTE: readonly TagColor[] = [
  { preset: 'blue', hex: '#1677ff' },
  { preset: 'green', hex: '#52c41a' },
  { preset: 'purple', hex: '#722ed1' },
  { preset: 'cyan', hex: '#13c2c2' },
  { preset: 'magenta', hex: '#eb2f96' },
  { preset: 'gold', hex: '#faad14' },
  { preset: 'geekblue', hex: '#2f54eb' },
  { preset: 'lime', hex: '#a0d911' },
  { preset: 'volcano', hex: '#fa541c' },
];

/** The built-in tags keep colours that read well together; any other tag gets one from its code. */
const KNOWN: Record<string, TagColor> = {
  aged_80: { preset: 'orange', hex: '#fa8c16' },
  elderly_alone: { preset: 'volcano', hex: '#fa541c' },
  empty_nest: { preset: 'gold', hex: '#d48806' },
  minor: { preset: 'cyan', hex: '#13c2c2' },
  left_behind_child: { preset: 'geekblue', hex: '#2f54eb' },
  disabled: { preset: 'purple', hex: '#722ed1' },
  low_income: { preset: 'magenta', hex: '#eb2f96' },
  entitled_group: { preset: 'lime', hex: '#7cb305' },
  party_member: { preset: 'red', hex: '#f5222d' },
  volunteer: { preset: 'green', hex: '#52c41a' },
};

export function tagColor(code: string): TagColor {
  const known = KNOWN[code];
  if (known) return known;
  let hash = 0;
  for (const ch of code) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? { preset: 'blue', hex: '#1677ff' };
}

const SUFFIXES = ['老人', '儿童', '对象', '人', '户'];

/** 高龄老人 → 高龄, 残疾人 → 残疾, 低保户 → 低保; a name that would get too short stays as it is. */
export function shortTagName(name: string): string {
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) return name.slice(0, -suffix.length);
  }
  return name;
}
