/**
 * Notices' pure rules: the body's sanitizer (an allowlist of tags, attributes and image sources), the workflow's
 * moves, and which notices a resident is targeted by.
 */
import sanitizeHtml from 'sanitize-html';

export const NOTICE_CATEGORIES = ['announcement', 'policy', 'activity', 'reminder'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];
export const NOTICE_STATUSES = ['draft', 'submitted', 'approved', 'published', 'withdrawn'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const CATEGORY_LABELS: Record<NoticeCategory, { zh: string; en: string }> = {
  announcement: { zh: '公告', en: 'Announcement' },
  policy: { zh: '政策', en: 'Policy' },
  activity: { zh: '活动', en: 'Activity' },
  reminder: { zh: '提醒', en: 'Reminder' },
};

/** An image in a body may only be a file of Linli's own store (attached to the notice on save). */
const FILE_SRC = /^\/api\/files\/([A-Za-z0-9_-]{22})(\/thumb)?$/;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'h2',
    'h3',
    'h4',
    'ul',
    'ol',
    'li',
    'blockquote',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'hr',
    'span',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height'], td: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  exclusiveFilter: (frame) => frame.tag === 'img' && !FILE_SRC.test(frame.attribs.src ?? ''),
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer', target: '_blank' } }),
  },
};
// rel and target are set by the transform, so they must pass the allowlist too.
(SANITIZE.allowedAttributes as Record<string, string[]>).a?.push('rel', 'target');

/** The body as it is stored and shown: allowlisted HTML only, images from the file store only. */
export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, SANITIZE).trim();
}

/** Whether a sanitized body has anything to read (text or an image). */
export function hasContent(html: string): boolean {
  return /<img\s/i.test(html) || sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).trim().length > 0;
}

/** The file ids the body's images refer to, in order, without repeats. */
export function bodyFileIds(html: string): string[] {
  const ids: string[] = [];
  for (const m of html.matchAll(/<img[^>]*\ssrc="([^"]*)"/gi)) {
    const id = FILE_SRC.exec(m[1] ?? '')?.[1];
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The body for the public page: its images served through the public notice's own file route. */
export function publicBody(html: string, noticeId: number): string {
  return html.replace(
    /(<img[^>]*\ssrc=")\/api\/files\/([A-Za-z0-9_-]{22})(\/thumb)?"/gi,
    (_m, pre: string, id: string, thumb: string | undefined) =>
      `${pre}/api/public/notices/${noticeId}/files/${id}${thumb ?? ''}"`,
  );
}

/** Plain text of a body, shortened, for lists and messages. */
export function excerpt(html: string, max = 80): string {
  // block ends become spaces, so that paragraphs do not run together
  const spaced = html.replace(/<\/(p|li|h\d|td|th|blockquote)>|<br\s*\/?>/gi, ' ');
  const text = sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export type NoticeAction = 'edit' | 'submit' | 'approve' | 'reject' | 'withdraw' | 'publish';

/** The workflow: draft → submitted → approved → published → withdrawn; a rejection goes back to draft. */
export const MOVES: Record<NoticeAction, readonly NoticeStatus[]> = {
  edit: ['draft'],
  submit: ['draft'],
  approve: ['submitted'],
  reject: ['submitted'],
  publish: ['approved'],
  withdraw: ['submitted', 'approved', 'published'],
};

export function canMove(action: NoticeAction, from: NoticeStatus): boolean {
  return MOVES[action].includes(from);
}

/** Four eyes: a reviewer never approves or rejects their own notice. */
export function isOwnNotice(authorId: number, reviewerId: number): boolean {
  return authorId === reviewerId;
}

/** Whether a resident at `residentPath` holding `residentTagIds` is targeted by a notice. */
export function isTargeted(
  notice: { nodePath: string; tagIds: readonly number[] },
  residentPath: string,
  residentTagIds: readonly number[],
): boolean {
  if (!residentPath.startsWith(notice.nodePath)) return false;
  return notice.tagIds.length === 0 || notice.tagIds.some((t) => residentTagIds.includes(t));
}
