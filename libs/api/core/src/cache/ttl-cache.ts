/**
 * A small in-process cache whose entries expire after `ttlMs`, for hot lookups that may be a
 * little stale. Concurrent misses share one load; null results and failures are not kept (so ids
 * that don't exist can't crowd out ones that do); the least recently used entry goes first.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = load();
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    value.then(
      (result) => result === null && this.forget(key, value),
      () => this.forget(key, value),
    );
    return value;
  }

  /** Forgets `key`: the next `get` loads it. */
  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private forget(key: K, value: Promise<V>): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }
}
