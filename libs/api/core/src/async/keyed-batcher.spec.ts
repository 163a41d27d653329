import { KeyedBatcher } from './keyed-batcher';

describe('KeyedBatcher', () => {
  const settle = (items: number[]) =>
    items.map((n): PromiseSettledResult<number> =>
      n < 0 ? { status: 'rejected', reason: new Error(`bad ${n}`) } : { status: 'fulfilled', value: n * 10 },
    );

  it('runs an idle key at once, and batches what arrives meanwhile, in order and capped', async () => {
    const batches: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new KeyedBatcher<number, number>(2, async (key, items) => {
      batches.push(`${key}:${items.join(',')}`);
      if (items[0] === 1) await gate;
      return settle(items);
    });
    const first = batcher.submit('a', 1);
    const later = [2, 3, 4].map((n) => batcher.submit('a', n));
    const other = batcher.submit('b', 5);
    await expect(other).resolves.toBe(50); // another key does not wait for a's batch
    expect(batches).toEqual(['a:1', 'b:5']);
    release();
    await expect(Promise.all([first, ...later])).resolves.toEqual([10, 20, 30, 40]);
    expect(batches).toEqual(['a:1', 'b:5', 'a:2,3', 'a:4']);
  });

  it('settles each item on its own, and a batch that throws rejects only its own items', async () => {
    let calls = 0;
    const batcher = new KeyedBatcher<number, number>(10, async (_key, items) => {
      calls += 1;
      if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 10));
      if (calls === 2) throw new Error('database down');
      return settle(items);
    });
    const first = batcher.submit('a', -1);
    const second = [batcher.submit('a', 2), batcher.submit('a', 3)];
    await expect(first).rejects.toThrow('bad -1');
    await expect(second[0]).rejects.toThrow('database down');
    await expect(second[1]).rejects.toThrow('database down');
    await expect(batcher.submit('a', 4)).resolves.toBe(40); // the key is usable again
  });
});
