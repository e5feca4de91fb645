import type { FormInstance } from 'antd';
import { isApiError } from './api';

/** Server field names may come as `code`, `/code`, `body.code` or `posts/0/nodeId`: turn them into a form path. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .replace(/^\/?body[./]/, '')
    .replace(/^\//, '')
    .split(/[./]/)
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Shows a server error on the form field it names, when the form has that field.
 * Returns false when the caller should show the error some other way.
 */
export function showFieldError<T>(form: FormInstance<T>, error: unknown, known: readonly string[]): boolean {
  if (!isApiError(error) || !error.field) return false;
  const path = fieldPath(error.field);
  const head = path[0];
  if (typeof head !== 'string' || !known.includes(head)) return false;
  // antd's NamePath typing is generic over the form's values; the runtime path is what matters here
  form.setFields([{ name: path as never, errors: [error.message] }]);
  return true;
}

/** The form's values when every field is valid, else null (antd has already marked the bad fields). */
export async function validValues<T>(form: FormInstance<T>): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch {
    return null;
  }
}
