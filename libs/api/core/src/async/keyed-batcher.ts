/**
 * Group commit: work submitted under one key while that key's batch runs waits, and goes in the
 * next batch together. The first item of an idle key runs at once, so batches form only under load
 * and a quiet key pays no extra latency. One batch per key at a time (in this process).
 */
export class KeyedBatcher<T, R> {
  private readonly waiting = new Map<string, Waiting<T, R>[]>();

  /** `run` settles each item of a batch, in the order given. */
  constructor(
    private readonly maxBatch: number,
    private readonly run: (key: string, items: T[]) => Promise<PromiseSettledResult<R>[]>,
  ) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else {
        this.waiting.set(key, [{ item, resolve, reject }]);
        void this.drain(key);
      }
    });
  }

  /** Runs the key's batches until nothing waits; the key's entry exists exactly while this runs. */
  private async drain(key: string): Promise<void> {
    const queue = this.waiting.get(key) ?? [];
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      let results: PromiseSettledResult<R>[];
      try {
        results = await this.run(
          key,
          batch.map((waiting) => waiting.item),
        );
      } catch (error) {
        results = batch.map(() => ({ status: 'rejected', reason: error }));
      }
      batch.forEach((waiting, index) => {
        const result = results[index];
        if (result?.status === 'fulfilled') waiting.resolve(result.value);
        else waiting.reject(result ? result.reason : new Error('batch returned no result for an item'));
      });
    }
    this.waiting.delete(key);
  }
}

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (reason: unknown) => void;
}
