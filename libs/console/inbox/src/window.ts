/** How long before the window closes we warn the agent. */
export const CLOSING_SOON_MS = 60 * 60 * 1000;

export type WindowState =
  | { open: true; remainingMs: number; closingSoon: boolean }
  /** `closedForMs` is null when the customer never wrote (the window never opened). */
  | { open: false; closedForMs: number | null };

/** The 24-hour customer service window of a conversation, from the API's `windowExpiresAt`. */
export function windowState(expiresAt: string | null | undefined, now: number): WindowState {
  const expires = expiresAt ? Date.parse(expiresAt) : NaN;
  if (Number.isNaN(expires)) return { open: false, closedForMs: null };
  const remainingMs = expires - now;
  return remainingMs > 0
    ? { open: true, remainingMs, closingSoon: remainingMs <= CLOSING_SOON_MS }
    : { open: false, closedForMs: -remainingMs };
}

/** "2 d 3 h", "5 h 12 min", "12 min", "less than a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  return `${rest} min`;
}
