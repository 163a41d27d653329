#!/usr/bin/env node
// `npm start`: builds and runs the Parley platform locally with demo data, then keeps it running.
// Needs PostgreSQL and Redis (defaults 127.0.0.1:5432 and :6379; see README for the variables).
import { spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const env = {
  NX_NO_CLOUD: 'true',
  NX_DAEMON: 'false',
  NG_CLI_ANALYTICS: 'false',
  ...process.env,
};
const port = Number(env.PORT ?? 3000);
const apiUrl = `http://localhost:${port}`;
const sandboxPort = Number(env.SANDBOX_PORT ?? 4100);
const sandboxUrl = `http://localhost:${sandboxPort}`;
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley';
const redisUrl = new URL(env.REDIS_URL ?? 'redis://127.0.0.1:6379');

export const DEMO = {
  email: 'demo@parley.local',
  password: 'parley-sandbox-2026',
  name: 'Demo Owner',
  org: 'Demo Retail',
};
const DEMO_WABA = {
  name: 'Demo WhatsApp account',
  wabaId: '100000000000001',
  appId: '200000000000001',
  appSecret: 'demo-app-secret-0001',
  accessToken: 'demo-access-token-0000000000000001',
  verifyToken: 'demo-verify-token',
};
const DEMO_NUMBER = {
  phoneNumberId: '300000000000001',
  displayPhoneNumber: '+1 555-010-0001',
  verifiedName: DEMO.org,
  qualityRating: 'GREEN',
};
const DEMO_CUSTOMERS = [
  {
    from: '5511987650101',
    name: 'Maria Souza',
    type: 'text',
    text: { body: 'Olá! Vocês entregam amanhã em Pinheiros?' },
  },
  {
    from: '14155550142',
    name: 'John Carter',
    type: 'text',
    text: { body: 'Hi, is the blue jacket still in stock in size M?' },
  },
  { from: '447700900123', name: 'Aisha Khan', type: 'image', image: { caption: 'Can I return this one?' } },
];

/** Approved at Meta (the sandbox) on every start, since the sandbox keeps nothing between runs. */
const DEMO_TEMPLATES = [
  {
    name: 'order_update',
    category: 'UTILITY',
    language: 'en_US',
    components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped and arrives {{3}}.' }],
  },
  {
    name: 'pedido_confirmado',
    category: 'UTILITY',
    language: 'pt_BR',
    components: [{ type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} foi confirmado!' }],
  },
  {
    name: 'welcome_offer',
    category: 'MARKETING',
    language: 'en_US',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Welcome to {{1}}' },
      { type: 'BODY', text: 'Hi {{1}}! Enjoy 10% off your first order with code {{2}}.' },
      { type: 'FOOTER', text: 'Reply STOP to opt out' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Shop now' }] },
    ],
  },
];

function log(message) {
  console.log(`\x1b[36m[parley]\x1b[0m ${message}`);
}

const children = [];
let stopping = false;

function stop(code = 0) {
  stopping = true;
  process.exitCode = code;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), children.length ? 3_000 : 0).unref();
}

/** Reports, stops everything, and throws to end the start-up sequence. */
function fail(message) {
  console.error(`\x1b[31m[parley]\x1b[0m ${message}`);
  stop(1);
  throw new Error(message);
}

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 2_000 });
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

async function ensureDatabase() {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString() });
  try {
    await client.connect();
  } catch (error) {
    fail(`PostgreSQL is not reachable at ${databaseUrl} (${error.message}). Start it, or set DATABASE_URL.`);
  }
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    log(`created database ${name}`);
  }
  await client.end();
}

async function api(method, path, { body, token } = {}) {
  const response = await fetch(apiUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function waitForHealth(name, child, url) {
  for (let i = 0; i < 120; i += 1) {
    if (child.exitCode !== null) fail(`the ${name} exited during start-up; see its log above`);
    const health = await fetch(url).catch(() => undefined);
    if (health?.ok) return;
    await sleep(500);
  }
  fail(`the ${name} did not become healthy within 60 s`);
}

async function sandbox(method, path, body) {
  const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) fail(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Idempotent: signs the demo owner in (or up), and makes sure the demo org and its WhatsApp account exist. */
async function seedDemo() {
  let session = await api('POST', '/api/v1/auth/login', { body: { email: DEMO.email, password: DEMO.password } });
  if (session.status === 401) {
    session = await api('POST', '/api/v1/auth/signup', {
      body: { email: DEMO.email, password: DEMO.password, name: DEMO.name },
    });
  }
  if (session.status >= 300) fail(`could not sign in the demo user: ${JSON.stringify(session.body)}`);
  const token = session.body.accessToken;

  const me = await api('GET', '/api/v1/me', { token });
  let org = me.body.orgs.find((o) => o.name === DEMO.org);
  if (!org) org = (await api('POST', '/api/v1/orgs', { token, body: { name: DEMO.org } })).body;

  const accounts = await api('GET', `/api/v1/orgs/${org.id}/waba-accounts`, { token });
  let account = accounts.body.data[0];
  if (!account) {
    account = (await api('POST', `/api/v1/orgs/${org.id}/waba-accounts`, { token, body: DEMO_WABA })).body;
    await api('POST', `/api/v1/orgs/${org.id}/waba-accounts/${account.id}/phone-numbers`, { token, body: DEMO_NUMBER });
  }

  // The sandbox starts empty: it learns the demo account (and where to send its webhooks) every time.
  await sandbox('POST', '/wabas', {
    wabaId: DEMO_WABA.wabaId,
    name: DEMO_WABA.name,
    appSecret: DEMO_WABA.appSecret,
    accessToken: DEMO_WABA.accessToken,
    verifyToken: DEMO_WABA.verifyToken,
    callbackUrl: account.webhookUrl,
    phoneNumbers: [DEMO_NUMBER],
  });
  // The demo templates, created at "Meta", approved by its review, then synced into Parley.
  for (const template of DEMO_TEMPLATES) {
    const created = await fetch(`${sandboxUrl}/v23.0/${DEMO_WABA.wabaId}/message_templates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_WABA.accessToken}` },
      body: JSON.stringify(template),
    });
    if (!created.ok) fail(`could not create the demo template ${template.name}: ${await created.text()}`);
  }
  await sleep(1_000); // the sandbox's review takes half a second
  const synced = await api('POST', `/api/v1/orgs/${org.id}/templates/sync`, {
    token,
    body: { wabaAccountId: account.id },
  });
  if (synced.status !== 200) fail(`could not sync the demo templates: ${JSON.stringify(synced.body)}`);

  // First start only (no conversations yet): the starter bot and AI triage are switched on, then a few customers
  // write in, through the sandbox and the real webhook path, and get its greeting.
  const conversations = await api('GET', `/api/v1/orgs/${org.id}/conversations?limit=1`, { token });
  if (conversations.body.data.length === 0) {
    const bot = await api('PUT', `/api/v1/orgs/${org.id}/automation/starter-bot`, { token, body: { enabled: true } });
    if (bot.status !== 200) fail(`could not switch the starter bot on: ${JSON.stringify(bot.body)}`);
    // AI triage with the built-in local provider (no network): sentiment, intent and summaries.
    const ai = await api('PUT', `/api/v1/orgs/${org.id}/ai/settings`, { token, body: { autoTriage: true } });
    if (ai.status !== 200) fail(`could not switch AI triage on: ${JSON.stringify(ai.body)}`);
    for (const customer of DEMO_CUSTOMERS)
      await sandbox('POST', '/inbound', { phoneNumberId: DEMO_NUMBER.phoneNumberId, ...customer });
  }
  return { org, account };
}

async function main() {
  if (!(await reachable(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
    fail(`Redis is not reachable at ${redisUrl.host}. Start it, or set REDIS_URL.`);
  }
  await ensureDatabase();

  log('building the api, worker, sandbox and console…');
  const build = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', 'api', 'wa-sandbox', 'console', '--outputStyle=static'],
    { stdio: 'inherit', env },
  );
  if (build.status !== 0) fail('build failed');

  const run = (name, file, extra = {}) => {
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...env, ...extra },
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`\x1b[31m[parley]\x1b[0m ${name} stopped (${signal ?? `exit ${code}`})`);
      stop(1);
    });
    children.push(child);
    return child;
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const sandboxProcess = run('sandbox', 'dist/apps/wa-sandbox/main.js', {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_PUBLIC_URL: sandboxUrl,
  });
  await waitForHealth('sandbox', sandboxProcess, `${sandboxUrl}/_sandbox/health`);
  // The api serves the console too, so the console, its API and its realtime socket share one origin.
  const apiProcess = run('api', 'dist/apps/api/main.js', {
    CONSOLE_DIR: env.CONSOLE_DIR ?? 'dist/apps/console/browser',
    CONSOLE_URL: env.CONSOLE_URL ?? apiUrl,
  });
  await waitForHealth('api', apiProcess, `${apiUrl}/health`);
  // The api has migrated the database; the worker can start without racing it.
  run('worker', 'dist/apps/api/worker.js', { DATABASE_MIGRATE_ON_BOOT: 'false' });

  const { org, account } = await seedDemo();
  console.log(`
  Parley is running.

    Console        ${apiUrl}/  (sign in with the demo account below)
    API            ${apiUrl}/api/v1
    API docs       ${apiUrl}/api/docs
    Health         ${apiUrl}/health
    Metrics        ${apiUrl}/metrics
    WhatsApp       ${sandboxUrl}  (the sandbox: chat as a customer)

    Demo sign-in   ${DEMO.email} / ${DEMO.password}
    Demo org       ${org.name} (${org.id})
    Webhook URL    ${account.webhookUrl}

  Press Ctrl+C to stop.
`);
}

main().catch((error) => {
  if (stopping) return; // already reported by fail()
  console.error(error);
  stop(1);
});
