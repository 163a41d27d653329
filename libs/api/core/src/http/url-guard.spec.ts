import { isRetryable, parseNetworks, UnsafeWebhookTarget, UrlGuard } from './url-guard';

/** A resolver answering from a table, as DNS would. */
const dns = (table: Record<string, string[]>) => async (host: string) => {
  const addresses = table[host];
  if (!addresses) throw new Error(`ENOTFOUND ${host}`);
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('UrlGuard', () => {
  const guard = new UrlGuard(
    '',
    dns({
      'hooks.example.com': ['93.184.216.34'],
      'v6.example.com': ['2606:2800:220:1:248:1893:25c8:1946'],
      'rebind.example.com': ['93.184.216.34', '10.0.0.7'],
      'metadata.example.com': ['169.254.169.254'],
      'mapped.example.com': ['::ffff:127.0.0.1'],
    }),
  );
  const refusal = async (url: string) => {
    try {
      await guard.target(url);
      return null;
    } catch (error) {
      if (error instanceof UnsafeWebhookTarget) return error.message;
      throw error;
    }
  };

  it('connects to the public address a host resolves to', async () => {
    await expect(guard.target('https://hooks.example.com/parley')).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    await expect(guard.target('https://v6.example.com/')).resolves.toMatchObject({ family: 6 });
    await expect(guard.target('http://8.8.8.8:8080/x')).resolves.toEqual({ address: '8.8.8.8', family: 4 });
  });

  it.each([
    ['http://127.0.0.1/', 'reserved'],
    ['http://10.20.30.40/', 'reserved'],
    ['http://172.31.255.255/', 'reserved'],
    ['http://192.168.1.1/', 'reserved'],
    ['http://100.64.0.1/', 'reserved'],
    ['http://0.0.0.0/', 'reserved'],
    ['http://[::1]/', 'reserved'],
    ['http://[fe80::1]/', 'reserved'],
    ['http://[fd00::1]/', 'reserved'],
    ['http://[::ffff:10.0.0.1]/', 'reserved'],
    ['https://metadata.example.com/latest', 'reserved'],
    ['https://mapped.example.com/', 'reserved'],
    ['https://rebind.example.com/', '10.0.0.7'],
    ['https://nowhere.example.com/', 'could not be resolved'],
    ['ftp://hooks.example.com/', 'http or https'],
    ['https://me:secret@hooks.example.com/', 'user name or password'],
    ['not a url', 'absolute'],
  ])('refuses %s', async (url, reason) => {
    expect(await refusal(url)).toContain(reason);
  });

  it('lets the operator allow a network: a receiver on this machine', async () => {
    const local = new UrlGuard('127.0.0.0/8, ::1/128', dns({ localhost: ['127.0.0.1', '::1'] }));
    await expect(local.target('http://localhost:4000/hooks')).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(local.target('http://10.0.0.1/')).rejects.toThrow(UnsafeWebhookTarget);
  });

  it('refuses a malformed allowed network at start-up', () => {
    expect(() => parseNetworks('10.0.0.0/33')).toThrow('not a network');
    expect(() => parseNetworks('intranet')).toThrow('not a network');
    expect(parseNetworks('')).toEqual([]);
    expect(parseNetworks('10.0.0.1')).toEqual([['10.0.0.1', 32, 'ipv4']]);
  });
});

describe('isRetryable', () => {
  it('retries what may pass later, and not what the partner refused', () => {
    expect([null, 500, 502, 503, 408, 429].map(isRetryable)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 410, 422].map(isRetryable)).toEqual([false, false, false, false, false, false]);
  });
});
