/**
 * A notice's body as the server stored it. The server sanitizes every body on saving (notices.logic.ts
 * sanitizeBody: an allowlist of tags and attributes, links only http(s)/mailto/tel, images only from Linli's own
 * file store), and bodies are never stored otherwise, so this is the one place that renders notice HTML.
 */
export function NoticeBody({ html, testId }: { html: string; testId?: string }) {
  return (
    <div
      className="notice-body"
      style={{ overflowWrap: 'anywhere' }}
      data-testid={testId}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server (sanitizeBody) before it was stored
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
