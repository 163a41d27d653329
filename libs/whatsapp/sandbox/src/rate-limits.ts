/** Meta's per-number throughput: at most `limit` messages in any one-second window (130429 beyond). */
export class ThroughputLimiter {
  private readonly sent = new Map<string, number[]>();

  tryTake(phoneNumberId: string, limit: number, now = Date.now()): boolean {
    const recent = (this.sent.get(phoneNumberId) ?? []).filter((at) => at > now - 1_000);
    if (recent.length >= limit) {
      this.sent.set(phoneNumberId, recent);
      return false;
    }
    recent.push(now);
    this.sent.set(phoneNumberId, recent);
    return true;
  }

  reset(): void {
    this.sent.clear();
  }
}

/** Meta's pair rate limit (131056): a token bucket per business number and customer. */
export class PairLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  tryTake(pair: string, burst: number, perSecond: number, now = Date.now()): boolean {
    const bucket = this.buckets.get(pair) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1_000) * perSecond);
    bucket.at = now;
    this.buckets.set(pair, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
