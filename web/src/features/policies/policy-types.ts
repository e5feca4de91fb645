/** The policies API's shapes (政策找人), from the server's TypeBox schemas as types only. */
export type {
  CandidateDetail,
  CandidateHistoryEntry,
  CandidateListQuery,
  CandidatePage,
  CandidateView,
  CodeName,
  ExplainedCondition,
  Explanation,
  FieldView,
  LeafView,
  PolicyCreate,
  PolicyFieldsView,
  PolicyList,
  PolicyPatch,
  PolicyVersionList,
  PolicyVersionView,
  PolicyView,
  ResultPage,
  ResultRow,
  ResultsQuery,
  RunPage,
  RunPolicyView,
  RunView,
  ValidateResult,
} from '../../../../server/src/modules/policies/policies.schemas';

export const CANDIDATE_STATUSES = ['pending', 'confirmed', 'rejected', 'receiving', 'ended', 'lapsed'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];
export const RESULT_TABS = ['eligible', 'near_miss', 'new', 'gone'] as const;
export type ResultTab = (typeof RESULT_TABS)[number];
