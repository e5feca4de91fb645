/** The assessment API's shapes (part C1's schemas, through api-types), under the names the views use. */
import type {
  AssessmentAdjustment,
  AssessmentAdjustmentCreate,
  AssessmentAdjustmentPage,
  AssessmentArchive,
  AssessmentArchiveHonour,
  AssessmentArchiveScore,
  AssessmentHonour,
  AssessmentPeriodKind,
  AssessmentRankedSubject,
  AssessmentRankingGroup,
  AssessmentRankings,
  AssessmentScheme,
  AssessmentSchemeCreate,
  AssessmentSchemeItem,
  AssessmentSchemeList,
  AssessmentSchemePatch,
  AssessmentSchemeSubject,
  AssessmentScoreItem,
  AssessmentSelection,
  AssessmentSelectionPage,
  AssessmentSelectionStatus,
  AssessmentSubjectKind,
  PublicHonour,
  PublicHonours,
} from '../../api-types';

export type SchemeSubject = AssessmentSchemeSubject;
export type PeriodKind = AssessmentPeriodKind;
export type Honour = AssessmentHonour;
export type SubjectKind = AssessmentSubjectKind;
export type SelectionStatus = AssessmentSelectionStatus;
export type Scheme = AssessmentScheme;
export type SchemeItem = AssessmentSchemeItem;
export type SchemeList = AssessmentSchemeList;
export type SchemeCreate = AssessmentSchemeCreate;
export type SchemePatch = AssessmentSchemePatch;
export type ScoreItem = AssessmentScoreItem;
export type RankingRow = AssessmentRankedSubject;
export type RankingGroup = AssessmentRankingGroup;
export type Rankings = AssessmentRankings;
export type Adjustment = AssessmentAdjustment;
export type AdjustmentBody = AssessmentAdjustmentCreate;
export type AdjustmentPage = AssessmentAdjustmentPage;
export type Selection = AssessmentSelection;
export type SelectionPage = AssessmentSelectionPage;
export type Archive = AssessmentArchive;
export type ArchiveScore = AssessmentArchiveScore;
export type ArchiveHonour = AssessmentArchiveHonour;
export type HonoursNotice = PublicHonours;
export type { PublicHonour };
