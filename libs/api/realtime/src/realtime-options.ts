/** Timings of the realtime gateway; tests shorten them. */
export interface RealtimeOptions {
  /** A socket's presence lapses this long after its last heartbeat (clients send one every 25 s). */
  presenceTtlMs: number;
  /** How often each api process clears lapsed presence and tells the orgs. */
  presenceSweepMs: number;
  /** How often each api process re-checks its sockets' sessions and memberships (logout, removal from an org). */
  revalidateMs: number;
}

export const REALTIME_OPTIONS = Symbol('REALTIME_OPTIONS');

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  presenceTtlMs: 60_000,
  presenceSweepMs: 5_000,
  revalidateMs: 30_000,
};
