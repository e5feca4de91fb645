/**
 * Volunteer skills (志愿技能): a fixed list of codes with zh/en labels. Pure; the volunteers module validates
 * enrolment against it and the time bank (part E) matches requests to volunteers by these codes.
 */
export const SKILLS = [
  { code: 'companionship', zh: '陪伴聊天', en: 'Companionship' },
  { code: 'meals', zh: '助餐', en: 'Meals' },
  { code: 'cleaning', zh: '助洁', en: 'Cleaning' },
  { code: 'hospital', zh: '助医', en: 'Accompany to hospital' },
  { code: 'haircut', zh: '理发', en: 'Haircut' },
  { code: 'repairs', zh: '维修', en: 'Repairs' },
  { code: 'shopping', zh: '代购', en: 'Shopping' },
  { code: 'legal', zh: '法律咨询', en: 'Legal advice' },
  { code: 'counselling', zh: '心理疏导', en: 'Counselling' },
  { code: 'tutoring', zh: '教育辅导', en: 'Tutoring' },
  { code: 'bathing', zh: '助浴', en: 'Bathing' },
  { code: 'walking', zh: '助行', en: 'Walking assistance' },
  { code: 'medical', zh: '义诊', en: 'Health check' },
  { code: 'tech', zh: '智能手机教学', en: 'Smartphone help' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const;

export type SkillCode = (typeof SKILLS)[number]['code'];
export const SKILL_CODES: readonly SkillCode[] = SKILLS.map((s) => s.code);

export function isSkill(code: string): code is SkillCode {
  return (SKILL_CODES as readonly string[]).includes(code);
}

export function skillLabel(code: string, lang: 'zh' | 'en' = 'zh'): string {
  const s = SKILLS.find((x) => x.code === code);
  return s ? s[lang] : code;
}

/** Activity types (活动类型) with labels; 'other' for anything else. */
export const ACTIVITY_TYPES = [
  { code: 'health_walk', zh: '健步走', en: 'Health walk' },
  { code: 'choir', zh: '合唱', en: 'Choir' },
  { code: 'garbage_sorting', zh: '垃圾分类', en: 'Garbage sorting' },
  { code: 'volunteer_service', zh: '志愿服务', en: 'Volunteer service' },
  { code: 'elderly_care', zh: '助老服务', en: 'Elderly care' },
  { code: 'culture', zh: '文体活动', en: 'Culture and sports' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const;

export type ActivityType = (typeof ACTIVITY_TYPES)[number]['code'];
export const ACTIVITY_TYPE_CODES: readonly ActivityType[] = ACTIVITY_TYPES.map((t) => t.code);
