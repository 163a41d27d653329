import { MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-policy';

describe('retry policy', () => {
  it('doubles the wait each try, jittered down by at most half, and caps it', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1_000, MAX_RETRY_DELAY_MS, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect(retryDelayMs(3, 1_000, MAX_RETRY_DELAY_MS, () => 0)).toBe(2_000);
    expect(retryDelayMs(30, 30_000, MAX_RETRY_DELAY_MS, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });
});
