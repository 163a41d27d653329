import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('loads once for concurrent misses and serves hits until the entry expires', async () => {
    const cache = new TtlCache<string, number>(50);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    expect(await cache.get('a', load)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await cache.get('a', load)).toBe(2);
  });

  it('keeps neither nulls nor failures', async () => {
    const cache = new TtlCache<string, number | null>(1_000);
    let loads = 0;
    await cache.get('missing', async () => (loads++, null));
    await cache.get('missing', async () => (loads++, null));
    await expect(cache.get('broken', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('broken', async () => 7)).toBe(7);
    expect(loads).toBe(2);
  });

  it('drops the least recently used entry when full', async () => {
    const cache = new TtlCache<string, string>(1_000, 2);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    await cache.get('a', async () => 'a2');
    await cache.get('c', async () => 'c1');
    expect(await cache.get('a', async () => 'a3')).toBe('a1');
    expect(await cache.get('b', async () => 'b2')).toBe('b2');
  });

  it('forgets one key or all of them on demand', async () => {
    const cache = new TtlCache<string, string>(60_000);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    cache.delete('a');
    expect(await cache.get('a', async () => 'a2')).toBe('a2');
    expect(await cache.get('b', async () => 'b2')).toBe('b1');
    cache.clear();
    expect(await cache.get('b', async () => 'b3')).toBe('b3');
  });
});
