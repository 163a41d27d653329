/** The longest wait between two tries. */
export const MAX_RETRY_DELAY_MS = 2 * 3_600_000;

/**
 * How long to wait before try `attempt + 1`: `base × 2^(attempt-1)`, capped, then jittered down by
 * up to half so retries from many deliveries spread out instead of arriving together.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  capMs: number = MAX_RETRY_DELAY_MS,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}
