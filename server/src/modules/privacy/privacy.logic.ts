/**
 * Pure rules of residents' privacy rights (PIPL Art 44–47): the purposes Linli holds data for (each with its notice,
 * lawful basis and whether a resident may object), the fields a resident may ask to correct or delete, and the
 * deadline of a request. No I/O.
 */
import { maskPhone } from '../../platform/pii/mask.logic.js';

type Text2 = { 'zh-CN': string; en: string };

/** The sections of "my data", each held for one purpose. */
export const SECTIONS = [
  'record',
  'household',
  'house',
  'tags',
  'cases',
  'balances',
  'visits',
  'devices',
  'consents',
] as const;
export type Section = (typeof SECTIONS)[number];

export type PurposeDef = {
  code: string;
  name: Text2;
  /** The privacy notice (告知) for this purpose: what, why, how long, who sees it. */
  notice: Text2;
  /** The lawful basis: a statutory duty (PIPL Art 13(3)) or the resident's consent (Art 13(1)). */
  basis: 'statutory' | 'consent';
  /** Whether processing may stop on the resident's objection; false: required by law (the worker refuses). */
  objectable: boolean;
  sections: readonly Section[];
};

/** Data-driven: a new purpose is a new entry (the phone and console render them as they are). */
export const PURPOSES: readonly PurposeDef[] = [
  {
    code: 'population_registry',
    name: { 'zh-CN': '人口与房屋登记', en: 'Population and housing register' },
    notice: {
      'zh-CN':
        '社区依法履行人口管理职责，登记您的姓名、身份证号、联系电话、户籍与居住地址、家庭成员和房屋。身份证号和电话加密保存，工作人员只看到遮蔽后的号码，查看完整号码需要权限并留有记录。迁出后按规定期限保存。',
      en: 'The community keeps your name, ID number, phone, registered and current address, household members and house to perform its statutory duty of population management. ID and phone numbers are stored encrypted; workers see them masked, and seeing a full number needs a permission and is recorded. After you move out the record is kept for the period the rules require.',
    },
    basis: 'statutory',
    objectable: false,
    sections: ['record', 'household', 'house'],
  },
  {
    code: 'special_care',
    name: { 'zh-CN': '特殊人群关爱与政策服务', en: 'Care for special groups and policy services' },
    notice: {
      'zh-CN':
        '标签（如高龄、独居老人、低保）用于关爱走访和主动告知您可以享受的政策。敏感标签（如残疾、健康状况）属于敏感个人信息，只有有权限的工作人员可见。',
      en: 'Tags (such as aged 80+, living alone, minimum-living allowance) are used for care visits and to tell you about policies you may qualify for. Sensitive tags (such as disability or health) are sensitive personal information that only authorised workers see.',
    },
    basis: 'statutory',
    objectable: true,
    sections: ['tags', 'visits'],
  },
  {
    code: 'case_handling',
    name: { 'zh-CN': '诉求办理', en: 'Handling your reports' },
    notice: {
      'zh-CN': '您反映的问题及其办理过程用于办理、回访和统计，统计时不含您的姓名和电话。',
      en: 'The problems you report and their handling are used to handle them, to follow up with you and for statistics, which leave out your name and phone.',
    },
    basis: 'statutory',
    objectable: false,
    sections: ['cases'],
  },
  {
    code: 'points_timebank',
    name: { 'zh-CN': '积分与时间银行', en: 'Points and time bank' },
    notice: {
      'zh-CN': '积分和志愿服务时长记录在账本中，用于兑换和查询，您可以随时查看明细。',
      en: 'Points and volunteer hours are kept in a ledger so that you can redeem and check them; you may see every entry at any time.',
    },
    basis: 'consent',
    objectable: true,
    sections: ['balances'],
  },
  {
    code: 'device_alerts',
    name: { 'zh-CN': '智能设备预警', en: 'Smart-device alerts' },
    notice: {
      'zh-CN':
        '绑定到您的设备（如水表、紧急呼叫按钮）的读数用于在异常时通知您的家属和网格员，读数按期限自动删除。您可以反对这一用途，设备将解除预警。',
      en: 'Readings of devices bound to you (such as a water meter or an emergency button) are used to alert your family and grid worker when something looks wrong, and are deleted after a set period. You may object to this purpose and the alerts stop.',
    },
    basis: 'consent',
    objectable: true,
    sections: ['devices'],
  },
  {
    code: 'privacy_rights',
    name: { 'zh-CN': '个人信息权利申请', en: 'Your privacy requests' },
    notice: {
      'zh-CN': '您查看、复制、更正、删除个人信息的申请及其处理结果会被记录，以便您和监督部门核查。',
      en: 'Your requests to see, copy, correct or delete your data and their outcome are recorded, so that you and the supervising bodies can check them.',
    },
    basis: 'statutory',
    objectable: false,
    sections: ['consents'],
  },
];

export const PURPOSE_CODES = PURPOSES.map((p) => p.code);

export function purposeOf(code: string): PurposeDef | undefined {
  return PURPOSES.find((p) => p.code === code);
}

/** The purpose a section is held for. */
export function purposeOfSection(section: Section): PurposeDef {
  return PURPOSES.find((p) => p.sections.includes(section))!;
}

/** Fields of the resident record a resident may ask to correct (through the people service's update). */
export const CORRECTABLE_FIELDS = ['name', 'phone', 'ethnicity', 'hukouAddress', 'currentAddress'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/**
 * Fields a resident may ask to delete: optional ones only. The name, ID number, registered address and household
 * are required by law for population registration (户籍登记) and are never removed on request.
 */
export const DELETABLE_FIELDS = ['phone', 'ethnicity', 'currentAddress'] as const;
export type DeletableField = (typeof DELETABLE_FIELDS)[number];

export const LEGAL_GROUNDS = ['registration_required', 'statutory_duty', 'others_depend', 'not_held', 'other'] as const;
export type LegalGround = (typeof LEGAL_GROUNDS)[number];

export const LEGAL_GROUND_TEXT: Record<LegalGround, Text2> = {
  registration_required: {
    'zh-CN': '户籍与人口登记依法必须保存的信息',
    en: 'Required by law for household and population registration',
  },
  statutory_duty: {
    'zh-CN': '履行法定职责所必需（个人信息保护法第十三条）',
    en: 'Necessary for a statutory duty (PIPL Art 13)',
  },
  others_depend: {
    'zh-CN': '其他人的记录依赖这些信息（如家庭成员、积分账本）',
    en: 'Other people’s records depend on it (household members, a ledger)',
  },
  not_held: { 'zh-CN': '系统中没有该信息', en: 'Linli does not hold this data' },
  other: { 'zh-CN': '其他理由（见说明）', en: 'Another reason (see the note)' },
};

export type Change = { field: CorrectableField; value: string | null };

/** What a list may show of a proposed change: a phone number masked, the rest as typed. */
export function maskChange(c: Change): Change {
  return c.field === 'phone' && c.value ? { field: c.field, value: maskPhone(c.value) } : c;
}

/** Duplicate fields in a correction: the second one's index, or -1. */
export function duplicateField(changes: readonly { field: string }[]): number {
  const seen = new Set<string>();
  for (const [i, c] of changes.entries()) {
    if (seen.has(c.field)) return i;
    seen.add(c.field);
  }
  return -1;
}

/** The deadline rule: 15 working days (PIPL Art 50 asks for a timely answer; 15 working days is common practice). */
export const DEADLINE = { amount: 15, unit: 'working_days' } as const;

export function isOverdue(status: string, dueAt: Date, now: Date): boolean {
  return status === 'pending' && dueAt.getTime() < now.getTime();
}
