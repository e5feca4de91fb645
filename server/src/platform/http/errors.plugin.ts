import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, fieldLabel, formatError, type Locale } from '../errors/errors.js';

type AjvIssue = {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
};

const DETAILS: Record<string, { 'zh-CN': string; en: string }> = {
  required: { 'zh-CN': '必填', en: 'is required' },
  additionalProperties: { 'zh-CN': '不是允许的字段', en: 'is not an allowed field' },
  type: { 'zh-CN': '类型应为 {type}', en: 'must be of type {type}' },
  minLength: { 'zh-CN': '至少 {limit} 个字符', en: 'must have at least {limit} characters' },
  maxLength: { 'zh-CN': '最多 {limit} 个字符', en: 'must have at most {limit} characters' },
  minimum: { 'zh-CN': '不能小于 {limit}', en: 'must be at least {limit}' },
  maximum: { 'zh-CN': '不能大于 {limit}', en: 'must be at most {limit}' },
  pattern: { 'zh-CN': '格式不正确', en: 'has the wrong format' },
  format: { 'zh-CN': '格式不正确', en: 'has the wrong format' },
  anyOf: { 'zh-CN': '不是允许的值', en: 'is not an allowed value' },
  const: { 'zh-CN': '不是允许的值', en: 'is not an allowed value' },
  enum: { 'zh-CN': '不是允许的值', en: 'is not an allowed value' },
  minItems: { 'zh-CN': '至少 {limit} 项', en: 'must have at least {limit} items' },
  maxItems: { 'zh-CN': '最多 {limit} 项', en: 'must have at most {limit} items' },
};

/** Turns the first schema violation into a field name and a sentence in the user's language. */
export function describeValidation(
  issues: AjvIssue[],
  context: string,
  locale: Locale,
): { field: string; message: string } {
  // Union mismatches report every branch; the anyOf entry itself names the field best.
  const issue = issues.find((i) => i.keyword === 'anyOf') ?? issues[0] ?? {};
  const base = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  let field = base;
  if (issue.keyword === 'required' && typeof issue.params?.missingProperty === 'string') {
    field = [base, issue.params.missingProperty].filter(Boolean).join('.');
  }
  if (issue.keyword === 'additionalProperties' && typeof issue.params?.additionalProperty === 'string') {
    field = [base, issue.params.additionalProperty].filter(Boolean).join('.');
  }
  if (!field) field = context;
  const tmpl = DETAILS[issue.keyword ?? '']?.[locale] ?? issue.message ?? '';
  const detail = tmpl.replace(/\{(\w+)\}/g, (_, k: string) => String(issue.params?.[k] ?? ''));
  return { field, message: formatError('VALIDATION', locale, { field: fieldLabel(field, locale), detail }) };
}

function send(reply: FastifyReply, status: number, code: ErrorCode | string, message: string, field?: string) {
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send(field ? { code, message, field } : { code, message });
}

/** One error handler for the whole API: `{ code, message, field? }`, 5xx details only in the log. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    const locale = request.locale;
    if (err instanceof AppError) {
      if (err.status >= 500) request.log.error({ err, cause: err.cause }, 'service error');
      const message =
        err.code === 'INTERNAL'
          ? formatError('INTERNAL', locale, { requestId: request.id })
          : formatError(err.code, locale, err.params);
      return send(reply, err.status, err.code, message, err.field);
    }
    const fe = err as FastifyError & { validationContext?: string };
    if (fe.validation) {
      const { field, message } = describeValidation(
        fe.validation as AjvIssue[],
        fe.validationContext ?? 'body',
        locale,
      );
      return send(reply, 400, 'VALIDATION', message, field);
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, 413, 'BODY_TOO_LARGE', formatError('BODY_TOO_LARGE', locale));
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return send(reply, 415, 'CONTENT_TYPE_UNSUPPORTED', formatError('CONTENT_TYPE_UNSUPPORTED', locale));
    if (
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err instanceof SyntaxError
    )
      return send(reply, 400, 'MALFORMED_JSON', formatError('MALFORMED_JSON', locale));
    if (fe.statusCode === 429) return send(reply, 429, 'RATE_LIMITED', formatError('RATE_LIMITED', locale));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, fe.statusCode, fe.code ?? 'BAD_REQUEST', fe.message);
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, 500, 'INTERNAL', formatError('INTERNAL', locale, { requestId: request.id }));
  });
}
