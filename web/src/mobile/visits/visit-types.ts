/**
 * The grid-work API's shapes the phone's visit pages use, as types from the server's schemas (nothing of the
 * server's runtime reaches the bundle). Kept beside the phone pages rather than in api-types.ts, which the
 * console's visit pages fill in at the same time.
 */
export type { MyLinks } from '../../../../server/src/modules/visits/links.schemas';
export type {
  HealthObservation,
  VisitCaseCreate,
  VisitDetail,
  VisitInput,
  VisitListItem,
  VisitOutcome,
  VisitRecorded,
  VisitTaskDetail,
  VisitTaskListItem,
  VisitTaskPage,
} from '../../../../server/src/modules/visits/visits.schemas';
