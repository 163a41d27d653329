#!/usr/bin/env node
// `npm run bench:console`: the console in Chromium against the built api (serving it), worker and
// sandbox, with an inbox of many conversations. Reported: what the console downloads before it
// shows anything, how long the inbox takes to show its list on a cold load and to open a
// conversation, how long a customer's message takes to appear in the open chat (sandbox webhook →
// api → worker → Socket.io → screen), and how long an agent's reply takes to show the blue ticks.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { benchPlatform, call, percentile } from './platform.mjs';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const consoleDir = 'dist/apps/console/browser';
const platform = benchPlatform({
  name: 'console',
  apiPort: 3320,
  sandboxPort: 4120,
  env: { CONSOLE_DIR: consoleDir, CONSOLE_URL: 'http://127.0.0.1:3320' },
});
const { api, sandbox } = platform;

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
  await platform.prepare(['api', 'wa-sandbox', 'console']);
  await platform.startAll();

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
    platform.stop();
  });
