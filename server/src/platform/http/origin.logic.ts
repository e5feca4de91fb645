/**
 * Pure rules of the CSRF and content-type checks in the auth hook (auth.plugin.ts), kept here to be tested alone.
 */

/** `scheme://host[:port]` of an http(s) URL, lower-cased with the default port dropped; null for anything else. */
export function normaliseOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.origin;
}

/** Linli's own origin as the request names it: its scheme and Host (the proxy's, when the proxy is trusted). */
export function ownOrigin(protocol: string, host: string | undefined): string | null {
  if (!host) return null;
  return normaliseOrigin(`${protocol}://${host}`);
}

export type OriginCheck = {
  /** The `Origin` header, if any. */
  origin: string | undefined;
  /** The `Sec-Fetch-Site` header, if any. */
  secFetchSite: string | undefined;
  /** Linli's own origin for this request (see `ownOrigin`). */
  own: string | null;
  /** Further origins allowed by LINLI_ALLOWED_ORIGINS, normalised. */
  allowed: ReadonlySet<string>;
};

/**
 * Whether a state-changing request comes from Linli's own pages: its `Origin` is Linli's own (or an allowed one),
 * or, without an `Origin`, the browser says `Sec-Fetch-Site: same-origin`. A request naming neither is refused,
 * since a browser sends one of them on every such request and only a forged or stripped one lacks both.
 */
export function isOwnOrigin(c: OriginCheck): boolean {
  if (c.origin !== undefined) {
    const origin = normaliseOrigin(c.origin);
    return origin !== null && (origin === c.own || c.allowed.has(origin));
  }
  return c.secFetchSite === 'same-origin';
}

/**
 * Whether a request body's content type is accepted: JSON everywhere, multipart form data only where the route
 * takes uploads. A request without a body needs no content type.
 */
export function isAcceptedContentType(contentType: string | undefined, hasBody: boolean, uploads: boolean): boolean {
  if (contentType === undefined) return !hasBody;
  const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/json') return true;
  return uploads && media === 'multipart/form-data';
}

/** Parses LINLI_ALLOWED_ORIGINS (comma-separated); throws on an entry that is not an http(s) origin. */
export function parseAllowedOrigins(list: string | undefined): string[] {
  if (!list) return [];
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const origin = normaliseOrigin(entry);
      if (!origin || new URL(entry).pathname.replace(/\/$/, '') !== '' || new URL(entry).search) {
        throw new Error(`not an origin (scheme://host[:port]): ${entry}`);
      }
      return origin;
    });
}
