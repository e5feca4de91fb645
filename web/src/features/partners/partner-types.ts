/** The partners API's shapes, taken from the server's TypeBox schemas as types only. */
import type { Static } from 'typebox';
import type * as S from '../../../../server/src/modules/partners/partners.schemas';

export type PartnerOrg = Static<typeof S.Org>;
export type PartnerOrgPage = Static<typeof S.OrgPage>;
export type PartnerOrgApply = Static<typeof S.OrgApply>;
export type PartnerProject = Static<typeof S.Project>;
export type PartnerProjectPage = Static<typeof S.ProjectPage>;
export type PartnerProjectDetail = Static<typeof S.ProjectDetail>;
export type PartnerProjectCreate = Static<typeof S.ProjectCreate>;
export type PartnerClaim = Static<typeof S.Claim>;
export type PartnerDelivery = Static<typeof S.Delivery>;
export type PartnerDeliveryPage = Static<typeof S.DeliveryPage>;
export type PartnerDeliveryCreate = Static<typeof S.DeliveryCreate>;
export type PartnerMe = Static<typeof S.PartnerMe>;
export type PartnerOpenProjects = Static<typeof S.PartnerProjects>;
export type PartnerNotice = Static<typeof S.PublicNotice>;

export const PROJECT_CATEGORIES = [
  'elderly_care',
  'children',
  'environment',
  'culture',
  'health',
  'skills',
  'other',
] as const;
export const ORG_KINDS = ['company', 'social_org', 'institution', 'other'] as const;
export const ORG_STATUS_COLORS: Record<string, string> = {
  applied: 'processing',
  approved: 'success',
  rejected: 'error',
  suspended: 'warning',
};
