/**
 * PROVISIONAL shapes of the assessment API (part C1), used until its schemas land; then these re-export the
 * server's types from api-types.
 */
import type { MetricCode, PeriodKind } from '../../../../server/src/modules/metrics/metrics.catalogue';

export type { MetricCode, PeriodKind };
export type SchemeSubject = 'grid' | 'community' | 'worker';
export type Honour = 'red_flag_grid' | 'excellent_worker';
export type SubjectKind = 'node' | 'user';
export type SelectionStatus = 'proposed' | 'nominated' | 'approved' | 'declined' | 'published';

export type SchemeItem = { metric: string; weight: number; higherBetter: boolean; fullAt: number; zeroAt: number };
export type Scheme = {
  id: number;
  name: string;
  subject: SchemeSubject;
  periodKind: PeriodKind;
  totalWeight: number;
  adjustmentCap: number;
  honour: Honour | null;
  honourQuota: number;
  honourMinScore: number;
  active: boolean;
  items: SchemeItem[];
};
export type SchemeBody = Omit<Scheme, 'id'>;

export type ScoreItem = { metric: string; value: number | null; marks: number; weight: number };
export type RankingRow = {
  subjectKind: SubjectKind;
  subjectId: number;
  name: string;
  total: number;
  base: number;
  adjustments: number;
  rank: number;
  groupSize: number;
  previousRank: number | null;
  previousTotal: number | null;
  items: ScoreItem[];
};
export type RankingGroup = { node: { id: number; name: string }; rows: RankingRow[] };
export type Rankings = { schemeId: number; periodStart: string; groups: RankingGroup[] };

export type EvidenceFile = { id: string; name: string };
export type Adjustment = {
  id: number;
  schemeId: number;
  periodStart: string;
  subjectKind: SubjectKind;
  subjectId: number;
  subjectName: string;
  points: number;
  reason: string;
  evidence: EvidenceFile[];
  createdBy: string;
  createdAt: string;
  withdrawnAt: string | null;
};
export type AdjustmentBody = {
  schemeId: number;
  periodStart: string;
  subjectKind: SubjectKind;
  subjectId: number;
  points: number;
  reason: string;
  evidenceFileIds: string[];
};

export type Selection = {
  id: number;
  schemeId: number;
  honour: Honour;
  periodStart: string;
  subjectKind: SubjectKind;
  subjectId: number;
  subjectName: string;
  nodeName: string;
  levelNodeId: number;
  levelNodeName: string;
  score: number | null;
  status: SelectionStatus;
  citation: string | null;
  decisionReason: string | null;
  publishedAt: string | null;
  version: number;
};

export type ArchiveScore = {
  schemeId: number;
  schemeName: string;
  periodKind: PeriodKind;
  periodStart: string;
  total: number;
  rank: number;
  groupSize: number;
};
export type ArchiveHonour = {
  honour: Honour;
  periodStart: string;
  citation: string | null;
  publishedAt: string | null;
};
export type Archive = {
  subject: { kind: SubjectKind; id: number; name: string };
  scores: ArchiveScore[];
  adjustments: Adjustment[];
  honours: ArchiveHonour[];
};

export type HonoursNotice = {
  node: { id: number; name: string };
  honours: { honour: Honour; periodStart: string; name: string; place: string; citation: string | null }[];
};
