/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { MEDIA_STORAGE, type MediaStorage } from '@parley/api/media';
import {
  EXPORT_PLAN,
  omittedColumns,
  plannedColumns,
  secretColumns,
  TABLES_NOT_EXPORTED,
} from '@parley/api/org-exports';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import {
  eventually,
  expectStatus,
  PASSWORD,
  randomDigits,
  startWorker,
  TestApi,
  TestSession,
  type SandboxAccount,
} from './harness';

/*
 * Full org exports end to end: the real api and worker (in this process) against the real
 * PostgreSQL and the local media storage. The archive is downloaded over HTTP and read back entry by
 * entry, checksums included.
 */

const SETTINGS = {
  ORG_EXPORTS_POLL_MS: '50',
  // The webhook subscription whose secret must stay out of the archive points at this machine.
  PARTNER_WEBHOOKS_ALLOWED_NETWORKS: '127.0.0.0/8',
};
/** More than one batch (1,000 rows), so keyset paging is crossed twice. */
const MESSAGES = 2_500;

/** The entries of a ZIP, read through its central directory, each checked against its CRC-32. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP: no end of central directory');
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory record ${i}`);
    const method = archive.readUInt16LE(offset + 10);
    const crc = archive.readUInt32LE(offset + 16);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const size = archive.readUInt32LE(offset + 24);
    const nameLength = archive.readUInt16LE(offset + 28);
    const localHeader = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + archive.readUInt16LE(offset + 30) + archive.readUInt16LE(offset + 32);
    if (archive.readUInt32LE(localHeader) !== 0x04034b50) throw new Error(`${name}: bad local header`);
    const start = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
    const stored = archive.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(stored) : stored;
    if (data.length !== size || crc32(data) !== crc) throw new Error(`${name}: corrupt`);
    files.set(name, data);
  }
  return files;
}

describe('org exports', () => {
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let owner: TestSession;
  let admin: TestSession;
  let agent: TestSession;
  let viewer: TestSession;
  let orgId: string;
  let otherOrgId: string;
  let wa: SandboxAccount;
  /** Every secret made for the org, as the people who made them saw them. */
  const secrets: Record<string, string> = {};
  let first: any;
  let archive: Buffer;
  let files: Map<string, Buffer>;

  const path = (suffix = '') => `/api/v1/orgs/${orgId}/exports${suffix}`;
  const fileOf = (name: string): any[] => JSON.parse(files.get(name)?.toString('utf8') ?? 'null');
  const ready = (id: string) =>
    eventually(
      async () => {
        const body = expectStatus(await owner.get(path(`/${id}`)), 200);
        if (body.status === 'failed') throw new Error(`export failed: ${body.error}`);
        return body.status === 'ready' && body;
      },
      30_000,
      `export ${id} ready`,
    );
  const download = (url: string) =>
    fetch(api.baseUrl + url, { headers: { authorization: `Bearer ${owner.accessToken}` } });

  beforeAll(async () => {
    Object.assign(process.env, SETTINGS);
    api = await TestApi.start();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Müller & Söhne GmbH')).id;
    admin = await owner.addTeammate(orgId, 'admin');
    agent = await owner.addTeammate(orgId, 'agent');
    viewer = await owner.addTeammate(orgId, 'viewer');

    wa = await owner.connectNumber(orgId);
    secrets['WABA app secret'] = wa.appSecret;
    secrets['WABA access token'] = wa.accessToken;
    secrets['API key'] = await owner.createApiKey(orgId, ['read']);
    secrets['invitation token'] = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/invitations`, { email: 'pending@example.com', role: 'agent' }),
      201,
    ).token;
    secrets['webhook secret'] = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/webhook-subscriptions`, {
        url: 'http://127.0.0.1:9/parley',
        events: ['message.status'],
      }),
      201,
    ).secret;
    secrets['AI provider key'] = `sk-export-${randomDigits(24)}`;
    expectStatus(
      await api.request('PUT', `/api/v1/orgs/${orgId}/ai/settings`, {
        token: owner.accessToken,
        body: {
          provider: 'openai',
          baseUrl: 'https://llm.example.com/v1',
          model: 'gpt-test',
          apiKey: secrets['AI provider key'],
        },
      }),
      200,
    );
    secrets['password'] = PASSWORD;

    // Three customers, and one conversation holding more messages than a batch.
    const contacts: { id: string }[] = await api.dataSource.query(
      `INSERT INTO contacts (org_id, phone, wa_id, name)
       SELECT $1, '+1555010' || lpad(i::text, 4, '0'), '1555010' || lpad(i::text, 4, '0'), 'Customer ' || i
       FROM generate_series(1, 3) i RETURNING id`,
      [orgId],
    );
    const [conversation] = await api.dataSource.query(
      `INSERT INTO conversations (org_id, contact_id, phone_number_id, last_message_at) VALUES ($1, $2, $3, now()) RETURNING id`,
      [orgId, contacts[0]?.id, wa.number.id],
    );
    await api.dataSource.query(
      `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, body, payload, occurred_at)
       SELECT $1, $2, $3, $4, 'inbound', 'text', 'received', 'Hello number ' || i, '{}', now() - i * interval '1 second'
       FROM generate_series(1, $5::int) i`,
      [orgId, conversation.id, contacts[0]?.id, wa.number.id, MESSAGES],
    );

    // Another org, whose data must never show up in this one's archive.
    const stranger = await TestSession.signup(api, 'stranger');
    otherOrgId = (await stranger.createOrg('Other Tenant Ltd')).id;
    const strangerNumber = await stranger.connectNumber(otherOrgId);
    const [otherContact] = await api.dataSource.query(
      `INSERT INTO contacts (org_id, phone, wa_id, name) VALUES ($1, '+15550199999', '15550199999', 'Other Tenant Customer') RETURNING id`,
      [otherOrgId],
    );
    const [otherConversation] = await api.dataSource.query(
      `INSERT INTO conversations (org_id, contact_id, phone_number_id, last_message_at) VALUES ($1, $2, $3, now()) RETURNING id`,
      [otherOrgId, otherContact.id, strangerNumber.number.id],
    );
    await api.dataSource.query(
      `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, body, payload, occurred_at)
       VALUES ($1, $2, $3, $4, 'inbound', 'text', 'received', 'Other tenant secret message', '{}', now())`,
      [otherOrgId, otherConversation.id, otherContact.id, strangerNumber.number.id],
    );
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    for (const key of Object.keys(SETTINGS)) delete process.env[key];
  });

  it('names every column of every org-owned table: written, or left out with a reason', async () => {
    const columns: { table_name: string; column_name: string }[] = await api.dataSource.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public'
         AND (table_name = 'organizations'
              OR table_name IN (SELECT table_name FROM information_schema.columns
                                WHERE table_schema = 'public' AND column_name = 'org_id'))`,
    );
    const tables = [...new Set(columns.map((c) => c.table_name))].filter((t) => !(t in TABLES_NOT_EXPORTED));
    expect(tables.sort()).toEqual(EXPORT_PLAN.map((spec) => spec.table).sort());
    // A new column is out of the archive until it is named in export-plan.ts, one way or the other.
    const undecided = columns.filter(
      (c) => tables.includes(c.table_name) && !plannedColumns(c.table_name).has(c.column_name),
    );
    expect(undecided).toEqual([]);
    // ...and every column named there exists.
    for (const spec of EXPORT_PLAN) {
      const actual = columns.filter((c) => c.table_name === spec.table).map((c) => c.column_name);
      expect({
        table: spec.table,
        missing: [...plannedColumns(spec.table)].filter((c) => !actual.includes(c)),
      }).toEqual({
        table: spec.table,
        missing: [],
      });
    }
  });

  it('is for admins and admin API keys only, one export at a time, and has nothing to download while queued', async () => {
    for (const session of [agent, viewer]) {
      const refused = await session.post(path());
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('insufficient_role');
    }
    const readKey = await api.post(path(), undefined, { apiKey: secrets['API key'] });
    expect(readKey.status).toBe(403);
    expect(readKey.body.error.code).toBe('insufficient_scope');

    // No worker yet: the export stays queued while the rest is checked.
    const adminKey = await owner.createApiKey(orgId, ['admin']);
    first = expectStatus(await api.post(path(), undefined, { apiKey: adminKey }), 202);
    expect(first).toMatchObject({
      status: 'queued',
      progress: { tablesDone: 0, tablesTotal: EXPORT_PLAN.length, rowsWritten: 0, percent: 0 },
      sizeBytes: null,
      error: null,
      startedAt: null,
      finishedAt: null,
      expiresAt: null,
      downloadUrl: null,
    });

    const second = await admin.post(path());
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'export_in_progress', details: { exportId: first.id } });

    const early = await owner.get(path(`/${first.id}/download`));
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('not_found');
    expect(expectStatus(await admin.get(path()), 200).data.map((e: any) => e.id)).toEqual([first.id]);
    expect((await viewer.get(path(`/${first.id}`))).status).toBe(403);
  });

  it('is made by the worker, reports its progress, and downloads as a ZIP named after the org', async () => {
    worker = await startWorker();
    const done = await ready(first.id);
    expect(done.progress).toEqual({
      tablesDone: EXPORT_PLAN.length,
      tablesTotal: EXPORT_PLAN.length,
      rowsWritten: expect.any(Number),
      percent: 100,
    });
    expect(done.downloadUrl).toBe(path(`/${first.id}/download`));
    expect(Date.parse(done.expiresAt) - Date.parse(done.finishedAt)).toBe(7 * 86_400_000);

    const response = await download(done.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const today = new Date(done.finishedAt).toISOString().slice(0, 10);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="parley-export-muller-sohne-gmbh-${today}.zip"`,
    );
    archive = Buffer.from(await response.arrayBuffer());
    expect(archive.length).toBe(done.sizeBytes);
    files = unzip(archive);

    expect([...files.keys()].sort()).toEqual(
      [...EXPORT_PLAN.map((spec) => `${spec.file}.json`), 'manifest.json'].sort(),
    );
    const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}');
    expect(manifest).toMatchObject({
      format: 'parley-org-export',
      formatVersion: 1,
      exportId: first.id,
      org: { id: orgId, name: 'Müller & Söhne GmbH' },
      omittedColumns: omittedColumns(),
    });
    for (const { name, rows } of manifest.files) expect({ name, rows }).toEqual({ name, rows: fileOf(name).length });
    expect(done.progress.rowsWritten).toBe(manifest.files.reduce((sum: number, f: any) => sum + f.rows, 0));

    expect(fileOf('messages.json')).toHaveLength(MESSAGES);
    expect(new Set(fileOf('messages.json').map((m) => m.id)).size).toBe(MESSAGES);
    expect(fileOf('messages.json')[0]).toMatchObject({ org_id: orgId, direction: 'inbound', payload: {} });
    expect(
      fileOf('contacts.json')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['Customer 1', 'Customer 2', 'Customer 3']);
    expect(fileOf('organization.json')).toEqual([expect.objectContaining({ id: orgId, name: 'Müller & Söhne GmbH' })]);
    expect(fileOf('phone_numbers.json').map((n) => n.phone_number_id)).toEqual([wa.number.phoneNumberId]);

    const members = fileOf('members.json');
    expect(members.map((m) => m.role).sort()).toEqual(['admin', 'agent', 'owner', 'viewer']);
    expect(members.find((m) => m.role === 'owner')).toEqual({
      user_id: owner.user.id,
      role: 'owner',
      name: owner.user.name,
      email: owner.user.email,
    });
  });

  it('never holds a secret, in clear or as stored, nor anything of another org', async () => {
    const text = archive.toString('latin1') + [...files.values()].map((data) => data.toString('utf8')).join('\n');
    for (const [what, value] of Object.entries(secrets))
      expect({ what, found: text.includes(value) }).toEqual({ what, found: false });

    // What the database keeps of them (ciphertexts, hashes, the verify token): none of it either.
    const stored: { column: string; value: string }[] = [];
    for (const column of secretColumns()) {
      const [table, name] = column.split('.') as [string, string];
      const rows: { value: string }[] = await api.dataSource.query(
        `SELECT "${name}"::text AS value FROM "${table}" WHERE org_id = $1 AND "${name}" IS NOT NULL`,
        [orgId],
      );
      stored.push(...rows.filter((row) => row.value.length >= 8).map(({ value }) => ({ column, value })));
    }
    // Ciphertexts of the app secret, access token and AI key, the verify token, the keys', invitation's and webhook's.
    expect(stored.length).toBeGreaterThanOrEqual(8);
    for (const { column, value } of stored)
      expect({ column, found: text.includes(value) }).toEqual({ column, found: false });
    const hashes: { password_hash: string }[] = await api.dataSource.query(
      'SELECT password_hash FROM users WHERE id IN (SELECT user_id FROM memberships WHERE org_id = $1)',
      [orgId],
    );
    for (const { password_hash } of hashes) expect(text.includes(password_hash)).toBe(false);
    const keys = new Set(
      [...files.keys()].filter((name) => name !== 'manifest.json').flatMap((name) => fileOf(name).flatMap(Object.keys)),
    );
    expect([...keys].filter((key) => /hash|secret|sealed|encrypted|password|verify_token|_hint$/.test(key))).toEqual(
      [],
    );

    expect(text).not.toContain(otherOrgId);
    expect(text).not.toMatch(/Other Tenant|Other tenant secret/);
  });

  it('records who asked for the export and who downloaded it', async () => {
    const logs = expectStatus(await owner.get(`/api/v1/orgs/${orgId}/audit-logs?targetId=${first.id}`), 200).data;
    expect(logs.map((log: any) => [log.action, log.actor.type])).toEqual([
      ['org.exported', 'user'],
      ['org.export_requested', 'api_key'],
    ]);
  });

  it('takes again an export whose worker died, once its lease has run out', async () => {
    const [crashed] = await api.dataSource.query(
      `INSERT INTO org_exports (org_id, status, requested_by_type, requested_by_id, attempts, tables_done, tables_total,
                                started_at, lease_expires_at)
       VALUES ($1, 'running', 'user', $2, 1, 4, $3, now() - interval '5 minutes', now() - interval '1 second') RETURNING id`,
      [orgId, owner.user.id, EXPORT_PLAN.length],
    );
    const done = await ready(crashed.id);
    expect(done.progress.tablesDone).toBe(EXPORT_PLAN.length);
    const [row] = await api.dataSource.query('SELECT attempts, storage_key FROM org_exports WHERE id = $1', [
      crashed.id,
    ]);
    expect(row).toEqual({ attempts: 2, storage_key: `exports/${orgId}/${crashed.id}-2.zip` });
    expect((await download(done.downloadUrl)).status).toBe(200);
  });

  it('deletes an archive past its expiry: the file is gone and the download is a 404', async () => {
    const [row] = await api.dataSource.query('SELECT storage_key FROM org_exports WHERE id = $1', [first.id]);
    const file = join(process.env['MEDIA_STORAGE_DIR'] ?? '', ...String(row.storage_key).split('/'));
    expect(existsSync(file)).toBe(true);
    await api.dataSource.query(`UPDATE org_exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      first.id,
    ]);

    const expired = await eventually(
      async () => {
        const body = expectStatus(await owner.get(path(`/${first.id}`)), 200);
        return body.status === 'expired' && body;
      },
      10_000,
      'the export to expire',
    );
    expect(expired.downloadUrl).toBeNull();
    expect(existsSync(file)).toBe(false);
    expect((await owner.get(path(`/${first.id}/download`))).status).toBe(404);
  });

  it('records a readable error when the archive cannot be stored, and lets the org ask again', async () => {
    await worker?.close();
    const failing: MediaStorage = {
      put: () => Promise.reject(new Error('S3 PUT exports/x: 503 SlowDown')),
      get: () => Promise.reject(new Error('unused')),
      delete: () => Promise.resolve(),
    };
    worker = await startWorker((builder) => builder.overrideProvider(MEDIA_STORAGE).useValue(failing));

    const asked = expectStatus(await owner.post(path()), 202);
    const failed = await eventually(
      async () => {
        const body = expectStatus(await owner.get(path(`/${asked.id}`)), 200);
        return body.status === 'failed' && body;
      },
      30_000,
      'the export to fail',
    );
    expect(failed.error).toMatch(
      /^Parley could not store the archive \(error id [0-9a-f-]{36}\)\. Ask for a new export/,
    );
    expect(failed.error).not.toContain('SlowDown');
    expect(failed.downloadUrl).toBeNull();
    expect(expectStatus(await owner.post(path()), 202).status).toBe('queued');
  });
});
