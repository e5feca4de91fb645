import type { DeadLetter } from '../../../api-types';

/** The dead-letter reasons the console has words for (a reason added later shows as its code). */
export const DEAD_LETTER_REASONS = [
  'invalid_json',
  'invalid_message',
  'unknown_device',
  'device_disabled',
  'bad_credentials',
  'forbidden_topic',
  'unknown_metric',
  'unknown_event',
  'value_out_of_range',
  'timestamp_future',
  'timestamp_past',
  'throttled',
] as const;
type Reason = (typeof DEAD_LETTER_REASONS)[number];

export function deadLetterReasonKey(reason: DeadLetter['reason']): `devices.deadLetters.reasons.${Reason}` | null {
  const known = DEAD_LETTER_REASONS.find((r) => r === reason);
  return known ? `devices.deadLetters.reasons.${known}` : null;
}

/** How long ago, in whole minutes, hours or days, for "last heard" (null: never). */
export function sinceParts(
  iso: string | null,
  now: Date,
): { unit: 'minutes' | 'hours' | 'days'; count: number } | null {
  if (!iso) return null;
  const ms = Math.max(0, now.getTime() - new Date(iso).getTime());
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: 'hours', count: hours };
  return { unit: 'days', count: Math.floor(hours / 24) };
}
