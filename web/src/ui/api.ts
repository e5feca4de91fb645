import { currentLanguage, i18n } from '../i18n';

/** An error answered by the server (`{ code, message, field? }`) or a failed request. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** The whole error body, for an error that carries more than its message (a refused import's rows). */
  readonly body: unknown;

  constructor(status: number, code: string, message: string, field?: string, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type QueryScalar = string | number | boolean | null | undefined;
/** An array is sent as the parameter repeated (`tag=a&tag=b`). */
export type QueryValue = QueryScalar | readonly QueryScalar[];

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** A JSON body, or FormData sent as multipart (the browser sets its boundary). */
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 here is an answer for the caller (wrong password), not an expired session. */
  isAuthAttempt?: boolean;
};

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => {
  const { pathname } = window.location;
  if (!isLoginPath(pathname)) window.location.assign(loginPathFor(pathname));
};

/** Phone pages live under /m; everything else is the console. */
export function loginPathFor(pathname: string): string {
  return /^\/m(\/|$)/.test(pathname) ? '/m/login' : '/login';
}

export function isLoginPath(pathname: string): boolean {
  return pathname === '/login' || pathname === '/m/login';
}

/** Lets the app replace the default full-page jump to the login page with a router navigation. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === '') continue;
      params.append(key, String(item));
    }
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

type ErrorBody = { code?: unknown; message?: unknown; field?: unknown };

async function readError(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // not JSON (a proxy page, an empty body): fall back to a generic message
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  const message = typeof body.message === 'string' ? body.message : i18n.t('errors.unknown');
  const field = typeof body.field === 'string' ? body.field : undefined;
  return new ApiError(response.status, code, message, field, body);
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, signal, isAuthAttempt = false } = options;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLanguage(),
  };
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : isForm ? body : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401 && !isAuthAttempt) onUnauthorized();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * A request whose answer is a file: the response itself when it is OK (for the caller to stream), else the
 * server's error, as for JSON requests.
 */
export async function fetchFile(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      headers: { 'Accept-Language': currentLanguage() },
      credentials: 'same-origin',
      signal: signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401) onUnauthorized();
    throw error;
  }
  return response;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    apiRequest<T>(path, { query, ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
  upload: <T>(path: string, form: FormData) => apiRequest<T>(path, { method: 'POST', body: form }),
};
