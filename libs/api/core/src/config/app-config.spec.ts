import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has local defaults for PostgreSQL, Redis and the API version', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/parley',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      GRAPH_API_VERSION: 'v23.0',
      DATABASE_MIGRATE_ON_BOOT: true,
    });
  });

  it('reads and converts variables', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_MIGRATE_ON_BOOT: 'false',
      LOGIN_MAX_ATTEMPTS: '3',
      UNRELATED: 'x',
    });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_MIGRATE_ON_BOOT: false, LOGIN_MAX_ATTEMPTS: 3 });
  });

  it('lists every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', REDIS_URL: 'localhost', ENCRYPTION_KEY: 'short' })).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/PORT[\s\S]*REDIS_URL[\s\S]*ENCRYPTION_KEY/) }),
    );
  });

  it('offers the sandbox when the Graph API is not Meta, at WHATSAPP_SANDBOX_URL for browsers', () => {
    expect(loadConfig({}).sandboxUrl).toBe('http://localhost:4100');
    expect(loadConfig({ GRAPH_API_BASE_URL: 'http://sandbox:4100/' }).sandboxUrl).toBe('http://sandbox:4100');
    expect(loadConfig({ GRAPH_API_BASE_URL: 'https://graph.facebook.com' }).sandboxUrl).toBeNull();
    expect(
      loadConfig({ GRAPH_API_BASE_URL: 'http://sandbox:4100', WHATSAPP_SANDBOX_URL: 'http://localhost:4100' })
        .sandboxUrl,
    ).toBe('http://localhost:4100');
    // Accounts made in a sandbox would be called at Meta.
    const meta = { GRAPH_API_BASE_URL: 'https://graph.facebook.com', WHATSAPP_SANDBOX_URL: 'http://localhost:4100' };
    expect(loadConfig(meta)).toMatchObject({ sandboxEnabled: false, sandboxUrl: null });
    expect(loadConfig({ WHATSAPP_SANDBOX_URL: 'off' })).toMatchObject({ sandboxEnabled: false, sandboxUrl: null });
    expect(() => loadConfig({ WHATSAPP_SANDBOX_URL: 'sandbox' })).toThrow(/WHATSAPP_SANDBOX_URL/);
  });

  it('refuses the development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    const secrets = { JWT_SECRET: 'a'.repeat(40), ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).isProduction).toBe(true);
  });
});
