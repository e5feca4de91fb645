/**
 * The cases API's shapes the phone pages use, as types from the server's schemas (nothing of the server's runtime
 * reaches the bundle). Kept beside the phone pages rather than in api-types.ts, which the console's cases pages
 * fill in at the same time.
 */
import type { Static } from 'typebox';
import type {
  AcceptBody,
  HandleBody,
  NoteBody,
  RateBody,
  ReasonBody,
  VerifyBody,
} from '../../../../server/src/modules/cases/cases.schemas';

export type {
  CaseAction,
  CaseCategory,
  CaseDetail,
  CaseEvent,
  CaseList,
  CaseListQuery,
  CaseStage,
  CaseSummary,
  PlaceInput,
  ReportCaseBody,
} from '../../../../server/src/modules/cases/cases.schemas';
export type { CommunityMap, MapNode } from '../../../../server/src/modules/cases/cases-map.schemas';

export type ActionBodies = {
  accept: Static<typeof AcceptBody>;
  note: Static<typeof NoteBody>;
  handle: Static<typeof HandleBody>;
  escalate: Static<typeof ReasonBody>;
  return: Static<typeof ReasonBody>;
  reopen: Static<typeof ReasonBody>;
  verify: Static<typeof VerifyBody>;
  rate: Static<typeof RateBody>;
};
