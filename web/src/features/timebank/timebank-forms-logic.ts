/** The console's time-bank forms: their values turned into the API's bodies (pure, tested). */

export type DurationValue = { hours?: number | null; minutes?: number | null };

/** Hours and minutes as whole minutes (the API keeps hours in minutes): 1 h 30 → 90. */
export function totalMinutes(d: DurationValue): number {
  return Math.round((d.hours ?? 0) * 60 + (d.minutes ?? 0));
}

const text = (s: string | null | undefined) => {
  const v = (s ?? '').trim();
  return v ? v : undefined;
};

export type ServiceFormValues = DurationValue & {
  volunteerResidentId: number;
  recipientResidentId: number;
  serviceType: string;
  servedAt: Date;
  note?: string | null;
};

/** POST /api/timebank/services: a worker records a service a volunteer gave. */
export function serviceBody(v: ServiceFormValues) {
  const note = text(v.note);
  return {
    volunteerResidentId: v.volunteerResidentId,
    recipientResidentId: v.recipientResidentId,
    serviceType: v.serviceType,
    servedAt: v.servedAt.toISOString(),
    minutes: totalMinutes(v),
    ...(note ? { note } : {}),
  };
}

export type RequestFormValues = DurationValue & {
  beneficiaryResidentId: number;
  serviceType: string;
  wantedAt: Date;
  place?: string | null;
  description?: string | null;
};

/** POST /api/timebank/requests: a worker files a request paid by the community. */
export function requestBody(v: RequestFormValues) {
  const place = text(v.place);
  const description = text(v.description);
  return {
    beneficiaryResidentId: v.beneficiaryResidentId,
    serviceType: v.serviceType,
    wantedAt: v.wantedAt.toISOString(),
    minutes: totalMinutes(v),
    ...(place ? { place } : {}),
    ...(description ? { description } : {}),
  };
}

/** The API's bounds of one service or request, in minutes. */
export const MIN_MINUTES = 15;
export const MAX_MINUTES = 1440;
