#!/usr/bin/env node
// `npm run bench:console`: the console in Chromium against the built api (serving it), worker and
// sandbox, with an inbox of many conversations. Reported: what the console downloads before it
// shows anything, how long the inbox takes to show its list on a cold load and to open a
// conversation, how long a customer's message takes to appear in the open chat (sandbox webhook →
// api → worker → Socket.io → screen), and how long an agent's reply takes to show the blue ticks.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium } from 'playwright-core';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const [API_PORT, SANDBOX_PORT] = [3320, 4120];
const api = `http://127.0.0.1:${API_PORT}`;
const sandbox = `http://127.0.0.1:${SANDBOX_PORT}`;
const database = 'parley_bench_console';
const consoleDir = 'dist/apps/console/browser';
const runDir = mkdtempSync(join(tmpdir(), 'parley-bench-console-'));
const env = {
  ...process.env,
  NX_NO_CLOUD: 'true',
  NX_DAEMON: 'false',
  NODE_ENV: 'production',
  PORT: String(API_PORT),
  HOST: '127.0.0.1',
  PUBLIC_URL: api,
  CONSOLE_URL: api,
  CONSOLE_DIR: consoleDir,
  DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
  REDIS_PREFIX: `parley-bench-console-${Date.now()}`,
  JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789',
  ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  GRAPH_API_BASE_URL: sandbox,
  MEDIA_STORAGE_DIR: join(runDir, 'media'),
  LOG_LEVEL: 'warn',
};
const children = [];

function start(file, extra = {}) {
  const child = spawn(process.execPath, [file], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

async function until(url) {
  for (let i = 0; i < 120; i += 1) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await sleep(250);
  }
  throw new Error(`${url} did not come up`);
}

async function call(base, method, path, body, token) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
};
const summary = (values) => ({ p50Ms: percentile(values, 50), p95Ms: percentile(values, 95), runs: values.length });

/** The files index.html loads before the console can draw: raw and gzipped kB. */
function initialDownload() {
  const html = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => match[1]);
  const bytes = files.map((file) => readFileSync(join(consoleDir, file)));
  const kb = (n) => Math.round(n / 102.4) / 10;
  return {
    files: files.length,
    rawKb: kb(bytes.reduce((sum, b) => sum + b.length, 0)),
    gzipKb: kb(bytes.reduce((sum, b) => sum + gzipSync(b).length, 0)),
  };
}

async function main() {
  const build = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', 'api', 'wa-sandbox', 'console', '--outputStyle=static'],
    { stdio: 'inherit', env },
  );
  if (build.status !== 0) throw new Error('build failed');
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  mkdirSync(env.MEDIA_STORAGE_DIR);

  start('dist/apps/wa-sandbox/main.js', { SANDBOX_PORT: String(SANDBOX_PORT), SANDBOX_PUBLIC_URL: sandbox });
  await until(`${sandbox}/_sandbox/health`);
  start('dist/apps/api/main.js');
  await until(`${api}/health`);
  start('dist/apps/api/worker.js', { DATABASE_MIGRATE_ON_BOOT: 'false' });

  const session = await call(api, 'POST', '/api/v1/auth/signup', {
    email: 'bench@parley.local',
    password: 'quiet orbit 7 lantern',
    name: 'Bench Agent',
  });
  const token = session.accessToken;
  const org = await call(api, 'POST', '/api/v1/orgs', { name: 'Bench' }, token);
  const account = await call(api, 'POST', `/api/v1/orgs/${org.id}/waba-accounts/sandbox`, {}, token);
  const numbers = await call(
    api,
    'GET',
    `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`,
    null,
    token,
  );
  const phoneNumberId = numbers.data[0].phoneNumberId;
  await call(sandbox, 'PUT', '/_sandbox/scenario', { statusDelaysMs: { sent: 0, delivered: 0, read: 0 } });
  const writes = (from, body) =>
    call(sandbox, 'POST', '/_sandbox/inbound', {
      phoneNumberId,
      from,
      name: `Customer ${from.slice(-4)}`,
      type: 'text',
      text: { body },
    });

  // An inbox of many customers, each with a conversation.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < CONVERSATIONS) {
        const i = next++;
        await writes(`5511900${String(i).padStart(6, '0')}`, `Hello, order ${i}?`);
      }
    }),
  );
  for (let i = 0; i < 240; i += 1) {
    const page = await call(api, 'GET', `/api/v1/orgs/${org.id}/conversations?limit=100&status=open`, null, token);
    const counted = page.nextCursor ? 100 : page.data.length;
    if (counted >= Math.min(100, CONVERSATIONS)) break;
    await sleep(250);
  }
  await sleep(2_000); // let the worker finish the backlog

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  const context = await browser.newContext({ baseURL: api, viewport: { width: 1366, height: 800 } });
  await context.addInitScript(
    ([tokens, orgId]) => {
      localStorage.setItem('parley.tokens', tokens);
      localStorage.setItem('parley.org', orgId);
    },
    [JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken }), org.id],
  );
  const page = await context.newPage();

  // Cold loads: from navigation to the first conversation on screen (a fresh page cache each time).
  const coldLoads = [];
  for (let i = 0; i < 5; i += 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    const started = Date.now();
    await page.goto('/inbox');
    await page.locator('app-conversation-list a.item').first().waitFor();
    coldLoads.push(Date.now() - started);
  }

  // Opening a conversation: click to its messages on screen.
  const opens = [];
  const rows = page.locator('app-conversation-list a.item');
  for (let i = 0; i < Math.min(ROUNDS, 20); i += 1) {
    const started = Date.now();
    await rows.nth(i + 1).click();
    await page.locator('app-chat app-message-bubble').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('app-chat')?.textContent?.includes('Loading messages'));
    opens.push(Date.now() - started);
  }
  const open = rows.nth(0);
  await open.click();
  const customer = (await open.locator('.name').textContent()).trim();
  const from = `5511900${customer.slice(-4).padStart(6, '0')}`;

  /** Resolves with the wall-clock time the first bubble containing `text` shows in the chat. */
  const shown = (text) =>
    page.evaluate(
      (marker) =>
        new Promise((resolve) => {
          const seen = () =>
            [...document.querySelectorAll('app-chat app-message-bubble')].some((b) => b.textContent.includes(marker));
          if (seen()) return resolve(Date.now());
          const observer = new MutationObserver(() => {
            if (seen()) {
              observer.disconnect();
              resolve(Date.now());
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        }),
      text,
    );

  // A customer writes to the open conversation: webhook to screen.
  const inbound = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const marker = `ping-${i}-${Date.now()}`;
    const appeared = shown(marker);
    const started = Date.now();
    await writes(from, marker);
    inbound.push((await appeared) - started);
  }

  // The agent replies (Enter) until the blue ticks: api, queue, worker, Meta, three status webhooks, realtime.
  const replies = [];
  const composer = page.getByLabel('Message', { exact: true });
  for (let i = 0; i < ROUNDS; i += 1) {
    const marker = `pong-${i}-${Date.now()}`;
    await composer.fill(marker);
    const started = Date.now();
    await composer.press('Enter');
    await page
      .locator('app-message-bubble')
      .filter({ hasText: marker })
      .locator('.tick.read')
      .waitFor({ timeout: 20_000 });
    replies.push(Date.now() - started);
  }
  await browser.close();

  const result = {
    machine: `${cpus().length} cores`,
    conversations: CONVERSATIONS,
    initialDownload: initialDownload(),
    inboxColdLoad: summary(coldLoads),
    openConversation: summary(opens),
    customerMessageOnScreen: summary(inbound),
    replyToBlueTicks: summary(replies),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/console.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill('SIGTERM');
  });
