import { type Static, Type } from 'typebox';
import { FileId, FileView } from '../../platform/files/files.schemas.js';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import { NOTICE_CATEGORIES, NOTICE_STATUSES } from './notices.logic.js';

/**
 * Notices (信息发布): drafts, review (审核), scheduled publishing, the resident's own notices with receipts, and the
 * public page. The body is HTML that the server sanitizes (notices.logic.ts) before it is stored.
 */

export const NoticeIdParams = Strict({ id: Id });
const Category = Type.Enum([...NOTICE_CATEGORIES]);
const Status = Type.Enum([...NOTICE_STATUSES]);

export const NoticeInput = Strict({
  title: Text({ minLength: 1, maxLength: 120, trim: true }),
  category: Category,
  /** HTML; tags, attributes and image sources outside the allowlist are removed. */
  body: Type.String({ minLength: 1, maxLength: 200_000 }),
  nodeId: Id,
  tagIds: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
  isPublic: Type.Optional(Type.Boolean()),
  isImportant: Type.Optional(Type.Boolean()),
  /** Attachments: uploads (POST /api/files) to attach; images in the body are attached as well. */
  fileIds: Type.Optional(Type.Array(FileId, { maxItems: 20, uniqueItems: true })),
});
export type NoticeInput = Static<typeof NoticeInput>;

export const NoticeListQuery = Strict({
  status: Type.Optional(Status),
  category: Type.Optional(Category),
  nodeId: Type.Optional(Id),
  q: Type.Optional(Text({ maxLength: 60, trim: true })),
  /** Only notices waiting for the caller's review (submitted, theirs to review, not their own). */
  toReview: Type.Optional(Type.Enum(['1'])),
  ...Paging,
});
export type NoticeListQuery = Static<typeof NoticeListQuery>;

export const ApproveBody = Strict({
  /** When it goes out; omitted or past: at once. */
  publishAt: Type.Optional(Nullable(Timestamp)),
});
export type ApproveBody = Static<typeof ApproveBody>;
export const ReasonBody = Strict({ reason: Text({ minLength: 1, maxLength: 500, trim: true }) });
export type ReasonBody = Static<typeof ReasonBody>;

export const NoticeTag = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });

export const ReceiptStats = Type.Object({
  targeted: Type.Integer(),
  read: Type.Integer(),
  confirmed: Type.Integer(),
});
export type ReceiptStats = Static<typeof ReceiptStats>;

export const NoticeView = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  category: Category,
  categoryLabel: Type.String(),
  body: Type.String(),
  excerpt: Type.String(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  nodePath: Type.String(),
  tags: Type.Array(NoticeTag),
  isPublic: Type.Boolean(),
  isImportant: Type.Boolean(),
  status: Status,
  publishAt: Nullable(Timestamp),
  publishedAt: Nullable(Timestamp),
  withdrawnAt: Nullable(Timestamp),
  rejectReason: Nullable(Type.String()),
  authorId: Type.Integer(),
  authorName: Type.String(),
  reviewerName: Nullable(Type.String()),
  reviewedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  files: Type.Array(FileView),
  /** What the caller may do now. */
  can: Type.Object({
    edit: Type.Boolean(),
    submit: Type.Boolean(),
    review: Type.Boolean(),
    withdraw: Type.Boolean(),
  }),
  stats: Nullable(ReceiptStats),
});
export type NoticeView = Static<typeof NoticeView>;

const { body: _body, files: _files, ...summaryProps } = NoticeView.properties;
export const NoticeSummary = Type.Object(summaryProps);
export type NoticeSummary = Static<typeof NoticeSummary>;
export const NoticePage = Type.Object({ items: Type.Array(NoticeSummary), total: Type.Integer() });
export type NoticePage = Static<typeof NoticePage>;

export const ReceiptQuery = Strict({
  /** unconfirmed: targeted residents who have not confirmed (for an ordinary notice: not read). */
  filter: Type.Optional(Type.Enum(['unconfirmed', 'unread', 'all'])),
  ...Paging,
});
export type ReceiptQuery = Static<typeof ReceiptQuery>;

export const ReceiptRow = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  place: Type.String(),
  readAt: Nullable(Timestamp),
  confirmedAt: Nullable(Timestamp),
});
export type ReceiptRow = Static<typeof ReceiptRow>;
export const ReceiptPage = Type.Object({
  stats: ReceiptStats,
  items: Type.Array(ReceiptRow),
  total: Type.Integer(),
});
export type ReceiptPage = Static<typeof ReceiptPage>;

export const NoticeOptions = Type.Object({
  categories: Type.Array(Type.Object({ code: Category, label: Type.String() })),
  tags: Type.Array(NoticeTag),
});
export type NoticeOptions = Static<typeof NoticeOptions>;

// ---- the resident's side -----------------------------------------------------------------------------------------

export const MyNotice = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  category: Category,
  categoryLabel: Type.String(),
  excerpt: Type.String(),
  placeName: Type.String(),
  isImportant: Type.Boolean(),
  publishedAt: Timestamp,
  readAt: Nullable(Timestamp),
  confirmedAt: Nullable(Timestamp),
});
export type MyNotice = Static<typeof MyNotice>;
export const MyNoticePage = Type.Object({
  items: Type.Array(MyNotice),
  total: Type.Integer(),
  unread: Type.Integer(),
  unconfirmed: Type.Integer(),
});
export type MyNoticePage = Static<typeof MyNoticePage>;
export const MyNoticeDetail = Type.Object({
  ...MyNotice.properties,
  body: Type.String(),
  files: Type.Array(FileView),
});
export type MyNoticeDetail = Static<typeof MyNoticeDetail>;
export const MyNoticeQuery = Strict({ ...Paging });
export type MyNoticeQuery = Static<typeof MyNoticeQuery>;

// ---- the public page ---------------------------------------------------------------------------------------------

export const PublicNoticesQuery = Strict({ nodeId: Type.Optional(Id), ...Paging });
export type PublicNoticesQuery = Static<typeof PublicNoticesQuery>;
export const PublicNotice = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  category: Category,
  categoryLabel: Type.String(),
  excerpt: Type.String(),
  placeName: Type.String(),
  publishedAt: Timestamp,
});
export type PublicNotice = Static<typeof PublicNotice>;
export const PublicNoticePage = Type.Object({ items: Type.Array(PublicNotice), total: Type.Integer() });
export type PublicNoticePage = Static<typeof PublicNoticePage>;
export const PublicNoticeFile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  url: Type.String(),
});
export const PublicNoticeDetail = Type.Object({
  ...PublicNotice.properties,
  body: Type.String(),
  files: Type.Array(PublicNoticeFile),
});
export type PublicNoticeDetail = Static<typeof PublicNoticeDetail>;
export const PublicFileParams = Strict({ id: Id, fileId: FileId });
