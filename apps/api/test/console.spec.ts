import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApi } from './harness';

// As Angular's production build writes it: hashed bundles, and critical CSS with an `onload` swap.
const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley</title><base href="/">
<link rel="stylesheet" href="styles-QWER5678.css" media="print" onload="this.media='all'"><noscript><link rel="stylesheet" href="styles-QWER5678.css"></noscript>
</head><body><app-root></app-root><script src="main-ABCD1234.js" type="module"></script></body></html>`;
const MAIN_JS = 'console.log("parley console");';
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the console, served by the api (CONSOLE_DIR)', () => {
  let dir: string;
  let api: TestApi;
  const get = (path: string, headers: Record<string, string> = HTML) => api.get(path, { headers });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-console-test-'));
    await writeFile(join(dir, 'index.html'), INDEX_HTML);
    await writeFile(join(dir, 'main-ABCD1234.js'), MAIN_JS);
    await writeFile(join(dir, 'styles-QWER5678.css'), 'body{margin:0}');
    await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await mkdir(join(dir, 'media'));
    await writeFile(join(dir, 'media', 'logo-ZXCV9012.png'), 'png');
    process.env['CONSOLE_DIR'] = dir;
    api = await TestApi.start();
  });
  afterAll(async () => {
    delete process.env['CONSOLE_DIR'];
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['/', '/inbox/123', '/contacts?tag=vip', '/index.html'])(
    'a page load of %s gets index.html, revalidated every time',
    async (path) => {
      const reply = await get(path);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
      expect(reply.body).toBe(INDEX_HTML);
      expect(reply.headers.get('cache-control')).toBe('no-cache');
    },
  );

  it("index.html carries a CSP that allows the app's own scripts and Angular's stylesheet swap, nothing inline else", async () => {
    const csp = (await get('/inbox/123')).headers.get('content-security-policy') ?? '';
    const swap = createHash('sha256').update("this.media='all'").digest('base64');
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining([
        `script-src 'self' 'unsafe-hashes' 'sha256-${swap}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: http: https:",
        "media-src 'self' blob: http: https:",
        "connect-src 'self' ws: wss:",
      ]),
    );
  });

  it('hashed bundles are cached for a year; other files revalidate', async () => {
    const main = await get('/main-ABCD1234.js', { accept: '*/*' });
    expect(main.status).toBe(200);
    expect(main.body).toBe(MAIN_JS);
    expect(main.headers.get('content-type')).toMatch(/javascript/);
    expect(main.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/media/logo-ZXCV9012.png', { accept: 'image/*' })).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    const favicon = await get('/favicon.svg', { accept: 'image/*' });
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('cache-control')).toBe('no-cache');
    expect(favicon.headers.get('content-security-policy')).toBeNull();
  });

  it('a missing bundle is a 404, not index.html', async () => {
    const reply = await get('/chunk-GONE0000.js', { accept: '*/*' });
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('not_found');
  });

  it.each(['/api/v1/unknown', '/api/v1/orgs/00000000-0000-4000-8000-000000000000/unknown', '/metrics/x'])(
    '%s is still the JSON 404, even for a browser',
    async (path) => {
      const reply = await get(path);
      expect(reply.status).toBe(404);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body.error.code).toBe('not_found');
    },
  );

  it("the api's own routes win: health, docs, and writes to page paths", async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await get('/api/docs')).body).not.toContain('<app-root>');
    const post = await api.request('POST', '/inbox/123', { headers: HTML });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('not_found');
  });

  it('without CONSOLE_DIR, nothing is served outside the api', async () => {
    delete process.env['CONSOLE_DIR'];
    const plain = await TestApi.start();
    try {
      for (const path of ['/', '/inbox/123', '/main-ABCD1234.js']) {
        const reply = await plain.get(path, { headers: HTML });
        expect(reply.status).toBe(404);
        expect(reply.body.error.code).toBe('not_found');
      }
    } finally {
      await plain.close();
    }
  });
});
