/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, expectStatus, FakeMeta, startWorker, TestApi, TestSession } from './harness';

/** A valid Brazilian mobile number per index: +55 11 9876 0xxxx. */
const brMobile = (i: number) => `+55119876${String(i).padStart(5, '0')}`;

describe('contacts', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let storageDir: string;
  let owner: TestSession;
  let agent: TestSession;
  let viewer: TestSession;
  let outsider: TestSession;
  let orgId: string;
  let otherOrgId: string;
  let writeKey: string;
  let meta: FakeMeta;

  const path = (suffix = '', org = orgId) => `/api/v1/orgs/${org}/contacts${suffix}`;
  const create = (body: unknown, as: TestSession = agent) => as.post(path(), body);
  const list = async (query: string, as: TestSession = owner) => expectStatus(await as.get(path(query)), 200);
  const names = async (query: string) => (await list(query)).data.map((c: { displayName: string }) => c.displayName);
  const contactRow = async (id: string) =>
    (await api.dataSource.query('SELECT * FROM contacts WHERE id = $1', [id]))[0];
  const auditOf = (id: string) =>
    api.dataSource.query('SELECT action, changes FROM audit_logs WHERE target_id = $1 ORDER BY id', [id]);

  /** POST …/contacts/import with `csv` as the file and `fields` as the other form fields. */
  async function importCsv(
    csv: string | Buffer,
    fields: Record<string, string> = {},
    options: { session?: TestSession; fileField?: string } = {},
  ) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set(options.fileField ?? 'file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
    const response = await fetch(`${api.baseUrl}${path('/import')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(options.session ?? owner).accessToken}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function uploadImage(): Promise<string> {
    const form = new FormData();
    form.set('file', new Blob([Buffer.from(`\x89PNG\r\n\x1a\n${randomUUID()}`)], { type: 'image/png' }), 'a.png');
    const response = await fetch(`${api.baseUrl}/api/v1/orgs/${orgId}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: form,
    });
    const body = (await response.json()) as any;
    if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${JSON.stringify(body)}`);
    return body.id;
  }

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'parley-contacts-test-'));
    process.env['MEDIA_STORAGE_DIR'] = storageDir;
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Contacts Org')).id;
    agent = await owner.addTeammate(orgId, 'agent');
    viewer = await owner.addTeammate(orgId, 'viewer');
    writeKey = await owner.createApiKey(orgId, ['write']);
    outsider = await TestSession.signup(api, 'outsider');
    otherOrgId = (await outsider.createOrg('Other Org')).id;
    meta = await owner.fakeMeta(orgId);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  describe('create', () => {
    it('stores the phone in E.164 with normalized tags and attributes, in the contract shape', async () => {
      const reply = await create({
        phone: '(11) 98765-4321',
        defaultCountry: 'br',
        name: '  Maria Souza ',
        tags: [' VIP', 'vip', 'Gold  Member '],
        attributes: { tier: 'gold', points: 1200, vip: true, city: null },
        optInStatus: 'opted_in',
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        id: expect.any(String),
        phone: '+5511987654321',
        waId: '5511987654321',
        name: 'Maria Souza',
        profileName: null,
        displayName: 'Maria Souza',
        tags: ['vip', 'gold member'],
        attributes: { tier: 'gold', points: 1200, vip: true },
        optInStatus: 'opted_in',
        optInSource: 'console',
        optInChangedAt: expect.any(String),
        lastInboundAt: null,
        erasedAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(expectStatus(await viewer.get(path(`/${reply.body.id}`)), 200)).toEqual(reply.body);
      expect((await auditOf(reply.body.id)).map((row: { action: string }) => row.action)).toEqual(['contact.created']);
    });

    it('records opt-ins made with an API key as coming from the api', async () => {
      const reply = await api.post(
        path(),
        { phone: '+1 650 555 0101', optInStatus: 'opted_out' },
        { apiKey: writeKey },
      );
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ phone: '+16505550101', optInStatus: 'opted_out', optInSource: 'api' });
      const plain = expectStatus(await create({ phone: '+1 650 555 0102' }), 201);
      expect(plain).toMatchObject({ optInStatus: 'unknown', optInSource: null, optInChangedAt: null });
    });

    it.each([
      [{}, 'phone'],
      [{ phone: 'not a phone' }, 'phone'],
      [{ phone: '+1 555' }, 'phone'],
      [{ phone: '98765-4321', defaultCountry: 'XX' }, 'defaultCountry'],
      [{ phone: '+5511987650000', name: '' }, 'name'],
      [{ phone: '+5511987650000', tags: 'vip' }, 'tags'],
      [{ phone: '+5511987650000', tags: ['a;b'] }, 'tags'],
      [{ phone: '+5511987650000', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
      [{ phone: '+5511987650000', attributes: { nested: { a: 1 } } }, 'attributes'],
      [{ phone: '+5511987650000', attributes: { 'bad key': 1 } }, 'attributes'],
      [{ phone: '+5511987650000', attributes: [1] }, 'attributes'],
      [{ phone: '+5511987650000', optInStatus: 'maybe' }, 'optInStatus'],
      [{ phone: '+5511987650000', email: 'x@example.com' }, 'email'],
    ])('refuses %j with 400 naming %s, storing nothing', async (body, field) => {
      const reply = await create(body);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
      expect(reply.body.error.details[0].field).toBe(field);
      expect(await api.dataSource.query(`SELECT 1 FROM contacts WHERE phone = '+5511987650000'`)).toEqual([]);
    });

    it('refuses a phone the org already has, in any format, with 409 on phone; another org may have it', async () => {
      const reply = await create({ phone: '+55 11 98765 4321' });
      expect(reply.status).toBe(409);
      expect(reply.body.error).toMatchObject({ code: 'contact_exists', details: [{ field: 'phone' }] });
      expect((await outsider.post(path('', otherOrgId), { phone: '+5511987654321' })).status).toBe(201);
    });

    it('lets viewers read but not write', async () => {
      expect((await viewer.post(path(), { phone: '+16505550199' })).status).toBe(403);
      expect((await viewer.get(path())).status).toBe(200);
    });
  });

  describe('list', () => {
    let ids: Record<string, string>;

    beforeAll(async () => {
      ids = {};
      for (const [key, body] of Object.entries({
        john: { phone: '+1 415 555 2671', name: 'John Carter', tags: ['VIP', 'newsletter'], optInStatus: 'opted_in' },
        aisha: { phone: '+44 7911 123456', name: 'Aisha Khan', tags: ['newsletter'] },
        percent: { phone: '+1 650 555 0177', name: 'Deal 100%_off' },
      })) {
        ids[key] = expectStatus(await create(body), 201).id;
      }
    });

    it('searches names and phone digits, with LIKE wildcards taken literally', async () => {
      expect(await names('?q=aisha')).toEqual(['Aisha Khan']);
      expect(await names('?q=CARTER')).toEqual(['John Carter']);
      expect(await names('?q=4155552')).toEqual(['John Carter']);
      expect(await names(`?q=${encodeURIComponent('+1 (415) 555')}`)).toEqual(['John Carter']);
      expect(await names(`?q=${encodeURIComponent('100%_')}`)).toEqual(['Deal 100%_off']);
      expect(await names(`?q=${encodeURIComponent('%')}`)).toEqual(['Deal 100%_off']);
      expect(await names('?q=nobody')).toEqual([]);
    });

    it('filters by tags (all of them, case-insensitive; repeated or comma-separated) and opt-in state', async () => {
      expect(await names('?tag=newsletter')).toEqual(['Aisha Khan', 'John Carter']);
      expect((await names('?tag=vip')).sort()).toEqual(['John Carter', 'Maria Souza']);
      expect(await names('?tag=VIP,newsletter')).toEqual(['John Carter']);
      expect(await names('?tag=vip&tag=newsletter')).toEqual(['John Carter']);
      expect(await names('?tag=vip&optInStatus=opted_in&q=john')).toEqual(['John Carter']);
      expect(await names('?optInStatus=opted_out')).toEqual([null]);
      const bad = await owner.get(path('?optInStatus=sometimes'));
      expect(bad.body.error.details[0].field).toBe('optInStatus');
    });

    it('pages newest first with an opaque cursor', async () => {
      const all = (await list('?limit=100')).data.map((c: { id: string }) => c.id);
      expect(all.slice(0, 3)).toEqual([ids['percent'], ids['aisha'], ids['john']]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data.map((c: { id: string }) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      const forged = await owner.get(path('?cursor=bm90LWEtY3Vyc29y'));
      expect(forged.status).toBe(400);
      expect(forged.body.error.details[0].field).toBe('cursor');
    });
  });

  describe('update', () => {
    let id: string;

    beforeAll(async () => {
      id = expectStatus(
        await create({
          phone: '+1 212 555 0140',
          name: 'Ana Lima',
          tags: ['lead'],
          attributes: { tier: 'silver', city: 'Recife', points: 10 },
        }),
        201,
      ).id;
    });

    it('merges attributes (null removes a key), replaces tags and audits only what changed', async () => {
      const reply = await agent.patch(path(`/${id}`), {
        tags: ['Customer', 'customer', 'VIP'],
        attributes: { tier: 'gold', city: null, since: 2024 },
        optInStatus: 'opted_in',
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        tags: ['customer', 'vip'],
        attributes: { tier: 'gold', points: 10, since: 2024 },
        optInStatus: 'opted_in',
        optInSource: 'console',
        optInChangedAt: expect.any(String),
      });
      const audit = await auditOf(id);
      expect(audit[audit.length - 1]).toEqual({
        action: 'contact.updated',
        changes: {
          before: {
            optInStatus: 'unknown',
            tags: ['lead'],
            attributes: { tier: 'silver', city: 'Recife', since: null },
          },
          after: {
            optInStatus: 'opted_in',
            tags: ['customer', 'vip'],
            attributes: { tier: 'gold', city: null, since: 2024 },
          },
        },
      });
    });

    it('re-normalizes a new phone, clears the name with null, and refuses a phone another contact has (409)', async () => {
      const moved = expectStatus(
        await agent.patch(path(`/${id}`), { phone: '212-555-0141', defaultCountry: 'US', name: null }),
        200,
      );
      expect(moved).toMatchObject({ phone: '+12125550141', waId: '12125550141', name: null, displayName: null });
      const taken = await agent.patch(path(`/${id}`), { phone: '+5511987654321' });
      expect(taken.status).toBe(409);
      expect(taken.body.error).toMatchObject({ code: 'contact_exists', details: [{ field: 'phone' }] });
      expect((await contactRow(id)).phone).toBe('+12125550141');
    });

    it('refuses bad fields (400 naming them), more than 50 attributes in all, and viewers (403)', async () => {
      expect((await agent.patch(path(`/${id}`), { phone: 'nope' })).body.error.details[0].field).toBe('phone');
      expect((await agent.patch(path(`/${id}`), { attributes: { a: { b: 1 } } })).body.error.details[0].field).toBe(
        'attributes',
      );
      const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, i]));
      const tooMany = await agent.patch(path(`/${id}`), { attributes: many });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.details[0].field).toBe('attributes');
      expect((await viewer.patch(path(`/${id}`), { name: 'Viewer was here' })).status).toBe(403);
      expect((await contactRow(id)).name).toBeNull();
    });
  });

  describe('delete', () => {
    it('removes the contact with their conversations, messages and stored webhooks, leaving an audit row without personal data', async () => {
      const from = '5511987651201';
      await meta.customerWrites(from, 'please forget me', 'Delete Me');
      const [contact] = await api.dataSource.query('SELECT id FROM contacts WHERE phone = $1', [`+${from}`]);
      expect(expectStatus(await agent.patch(path(`/${contact.id}`), { name: 'Delete Me Fully' }), 200).name).toBe(
        'Delete Me Fully',
      );
      expect((await agent.delete(path(`/${contact.id}`))).status).toBe(403);
      expect((await owner.delete(path(`/${contact.id}`))).status).toBe(204);
      expect((await owner.get(path(`/${contact.id}`))).status).toBe(404);
      const [left] = await api.dataSource.query(
        `SELECT (SELECT count(*)::int FROM conversations WHERE contact_id = $1) AS conversations,
                (SELECT count(*)::int FROM messages WHERE contact_id = $1) AS messages`,
        [contact.id],
      );
      expect(left).toEqual({ conversations: 0, messages: 0 });
      const webhooks = await api.dataSource.query(
        `SELECT id FROM webhook_events WHERE org_id = $1 AND payload::text LIKE '%please forget me%'`,
        [orgId],
      );
      expect(webhooks).toEqual([]);
      const audit = await auditOf(contact.id);
      expect(audit[audit.length - 1]).toEqual({ action: 'contact.deleted', changes: null });
      expect(JSON.stringify(audit)).not.toContain('Delete Me');
    });
  });

  describe('import', () => {
    const uploadsWaiting = async () => (await readdir(join(tmpdir(), 'parley-imports')).catch(() => [])).length;

    it('imports 10,000 rows in seconds: bad rows reported by row and field, duplicates merged, existing contacts updated', async () => {
      const existing = expectStatus(
        await create({ phone: brMobile(5), name: 'Keep Me', tags: ['existing'], attributes: { source: 'crm' } }),
        201,
      );
      const lines = ['Phone,Name,Tags,opt_in,City,Loyalty Tier'];
      const expected = { rows: 0, duplicates: 0, badPhone: [] as number[], badOptIn: [] as number[] };
      for (let i = 0; i < 10_000; i += 1) {
        if (i === 5000) lines.push(''); // a blank row: not counted, but it moves the row numbers on
        const row = lines.length + 1;
        expected.rows += 1;
        if (i % 500 === 7) {
          expected.badPhone.push(row);
          lines.push(`not-a-phone,Bad ${i},,,,`);
        } else if (i % 1000 === 13) {
          expected.badOptIn.push(row);
          lines.push(`${brMobile(i)},Row ${i},,maybe,,`);
        } else if (i % 250 === 100) {
          expected.duplicates += 1; // the previous row's phone again, with another tag and city
          lines.push(`"${brMobile(i - 1).replace('+55', '+55 ')}",,late,,Olinda,`);
        } else {
          lines.push(`${brMobile(i)},${i === 5 ? '' : `Row ${i}`},"vip; Gold",${i % 2 ? 'yes' : 'no'},Recife,${i % 3}`);
        }
      }
      const skipped = expected.badPhone.length + expected.badOptIn.length;
      const started = Date.now();
      const reply = await importCsv(lines.join('\r\n'), { tags: 'Spring Fair', defaultCountry: 'BR' });
      const elapsed = Date.now() - started;
      console.log(`imported 10,000 rows in ${elapsed} ms`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        rows: 10_000,
        created: 10_000 - skipped - expected.duplicates - 1,
        updated: 1,
        duplicates: expected.duplicates,
        skipped,
        errors: expect.any(Array),
        errorsTruncated: false,
      });
      expect(elapsed).toBeLessThan(15_000);
      expect(reply.body.errors).toHaveLength(skipped);
      expect(reply.body.errors.filter((e: { field: string }) => e.field === 'Phone').map((e: any) => e.row)).toEqual(
        expected.badPhone,
      );
      expect(reply.body.errors.find((e: { field: string }) => e.field === 'opt_in')).toEqual({
        row: expected.badOptIn[0],
        field: 'opt_in',
        message: expect.stringContaining('not an opt-in value'),
      });
      const [{ count }] = await api.dataSource.query(
        `SELECT count(*)::int AS count FROM contacts WHERE org_id = $1 AND 'spring fair' = ANY(tags)`,
        [orgId],
      );
      expect(count).toBe(reply.body.created + reply.body.updated);
      // Row 99 and its duplicate (row 100) merged; the existing contact kept its name.
      const merged = (await list(`?q=${brMobile(99).slice(1)}`)).data[0];
      expect(merged).toMatchObject({
        phone: brMobile(99),
        name: 'Row 99',
        tags: ['vip', 'gold', 'spring fair', 'late'],
        attributes: { City: 'Olinda', loyalty_tier: '0' },
        optInStatus: 'opted_in',
        optInSource: 'import',
      });
      expect(expectStatus(await owner.get(path(`/${existing.id}`)), 200)).toMatchObject({
        name: 'Keep Me',
        tags: ['existing', 'vip', 'gold', 'spring fair'],
        attributes: { source: 'crm', City: 'Recife', loyalty_tier: '2' },
        optInStatus: 'opted_in',
      });
      const [audit] = await api.dataSource.query(
        `SELECT changes FROM audit_logs WHERE org_id = $1 AND action = 'contacts.imported' ORDER BY id DESC LIMIT 1`,
        [orgId],
      );
      expect(audit.changes).toEqual({
        after: { rows: 10_000, created: reply.body.created, updated: 1, duplicates: expected.duplicates, skipped },
      });
    });

    it('merges tags and attributes on re-import, keeping a name the row does not give', async () => {
      expect((await importCsv(`phone\n${brMobile(99)}\n`)).body).toMatchObject({
        rows: 1,
        created: 0,
        updated: 1,
        skipped: 0,
      });
      const again = await importCsv(
        `phone,name,tags,optInStatus,City,vip_since\n"${brMobile(99)}",,"returning|VIP",opted_out,,2021\n`,
      );
      expect(again.body).toMatchObject({ rows: 1, created: 0, updated: 1, errors: [] });
      expect((await list(`?q=${brMobile(99).slice(1)}`)).data[0]).toMatchObject({
        name: 'Row 99',
        tags: ['vip', 'gold', 'spring fair', 'late', 'returning'],
        attributes: { City: 'Olinda', loyalty_tier: '0', vip_since: '2021' },
        optInStatus: 'opted_out',
      });
    });

    it('lists the first 1,000 errors and says there were more', async () => {
      const csv = ['phone', ...Array.from({ length: 1200 }, () => 'nope')].join('\n');
      const reply = await importCsv(csv);
      expect(reply.body).toMatchObject({ rows: 1200, skipped: 1200, created: 0, errorsTruncated: true });
      expect(reply.body.errors).toHaveLength(1000);
      expect(reply.body.errors[999]).toMatchObject({ row: 1001, field: 'phone' });
    });

    it('refuses unusable uploads with a 4xx naming the field, and writes nothing', async () => {
      const uploadsBefore = await uploadsWaiting();
      const before = await api.dataSource.query('SELECT count(*)::int AS n FROM contacts WHERE org_id = $1', [orgId]);
      const fieldOf = (reply: { body: any }) => reply.body.error.details[0].field;
      const noPhone = await importCsv('name,city\nMaria,Recife\n');
      expect(noPhone.status).toBe(400);
      expect(fieldOf(noPhone)).toBe('file');
      const binary = await importCsv(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49]),
      );
      expect(binary.status).toBe(400);
      expect(fieldOf(binary)).toBe('file');
      const brokenQuote = await importCsv(`phone,name\n${brMobile(90_001)},ok\n${brMobile(90_002)},"never closed\n`);
      expect(brokenQuote.status).toBe(400);
      expect(brokenQuote.body.error.message).toMatch(/not valid CSV/);
      const empty = await importCsv('');
      expect(fieldOf(empty)).toBe('file');
      const wrongField = await importCsv('phone\n+16505550111\n', {}, { fileField: 'csv' });
      expect(wrongField.status).toBe(400);
      expect(fieldOf(wrongField)).toBe('file');
      const missing = await fetch(`${api.baseUrl}${path('/import')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.accessToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as any).error.details[0].field).toBe('file');
      expect(fieldOf(await importCsv('phone\n+16505550111\n', { defaultCountry: 'XX' }))).toBe('defaultCountry');
      expect(fieldOf(await importCsv('phone\n+16505550111\n', { optInStatus: 'sure' }))).toBe('optInStatus');
      expect(fieldOf(await importCsv('phone\n+16505550111\n', { color: 'blue' }))).toBe('color');
      // Just over the limit: refused as soon as the limit is crossed, with next to nothing of the body left
      // unsent (a megabyte still in flight could meet a closed connection instead of the 413).
      const huge = await importCsv(Buffer.alloc(20 * 1024 * 1024 + 1, 'a'));
      expect(huge.status).toBe(413);
      expect(huge.body.error).toMatchObject({ code: 'payload_too_large', details: [{ field: 'file' }] });
      expect((await importCsv('phone\n+16505550111\n', {}, { session: agent })).status).toBe(403);
      expect(await api.dataSource.query('SELECT count(*)::int AS n FROM contacts WHERE org_id = $1', [orgId])).toEqual(
        before,
      );
      expect(await uploadsWaiting()).toBeLessThanOrEqual(uploadsBefore); // no refused upload left on disk
    });
  });

  describe('export and erase', () => {
    const from = '5511987651301';
    let contactId: string;
    let conversationId: string;
    let ownMedia: string;
    let sharedMedia: string;

    beforeAll(async () => {
      await meta.customerWrites(from, 'My address is Rua das Flores 12', 'Maria Secret', new Date(Date.now() - 20_000));
      const photoWamid = await meta.customerWrites(
        from,
        'here is my ID card',
        'Maria Secret',
        new Date(Date.now() - 10_000),
      );
      const [message] = await api.dataSource.query(
        'SELECT contact_id, conversation_id FROM messages WHERE wa_message_id = $1',
        [photoWamid],
      );
      contactId = message.contact_id;
      conversationId = message.conversation_id;
      expectStatus(
        await agent.patch(path(`/${contactId}`), {
          name: 'Maria Secret Silva',
          tags: ['vip'],
          attributes: { document: 'RG 12.345.678' },
        }),
        200,
      );
      expectStatus(
        await agent.post(`/api/v1/orgs/${orgId}/conversations/${conversationId}/notes`, {
          body: 'Maria lives at Rua das Flores',
        }),
        201,
      );
      // Her ID card photo, and a brochure also sent to another customer.
      ownMedia = await uploadImage();
      sharedMedia = await uploadImage();
      await api.dataSource.query('UPDATE messages SET media_id = $1 WHERE wa_message_id = $2', [ownMedia, photoWamid]);
      await meta.customerWrites(from, 'thanks', 'Maria Secret');
      await api.dataSource.query(
        `UPDATE messages SET media_id = $1, reactions = '[{"emoji":"👍","by":"contact","at":"2026-01-01T00:00:00.000Z"}]'
         WHERE contact_id = $2 AND body = 'thanks'`,
        [sharedMedia, contactId],
      );
      await meta.customerWrites('5511987651302', 'hello', 'Other Customer');
      await api.dataSource.query(
        'UPDATE messages SET media_id = $1 WHERE id = (SELECT id FROM messages WHERE org_id = $3 AND body = $2 LIMIT 1)',
        [sharedMedia, 'hello', orgId],
      );
    });

    it('exports everything held about the contact as a JSON attachment (admins only)', async () => {
      expect((await agent.get(path(`/${contactId}/export`))).status).toBe(403);
      const reply = await owner.get(path(`/${contactId}/export`));
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="contact-${contactId}.json"`);
      expect(reply.body).toMatchObject({
        exportedAt: expect.any(String),
        orgId,
        contact: { id: contactId, phone: `+${from}`, name: 'Maria Secret Silva', profileName: 'Maria Secret' },
        conversations: [{ id: conversationId, contact: { id: contactId }, lastMessagePreview: 'thanks' }],
        notes: [{ conversationId, body: 'Maria lives at Rua das Flores' }],
      });
      expect(reply.body.messages.map((m: { body: string }) => m.body)).toEqual([
        'My address is Rua das Flores 12',
        'here is my ID card',
        'thanks',
      ]);
      expect(reply.body.messages[0]).toMatchObject({ direction: 'inbound', type: 'text', status: 'received' });
      expect(reply.body.media.map((m: { id: string }) => m.id).sort()).toEqual([ownMedia, sharedMedia].sort());
      expect(reply.body.media[0].url).toBe(`/api/v1/orgs/${orgId}/media/${reply.body.media[0].id}/content`);
      const [audit] = await api.dataSource.query(
        `SELECT action, changes FROM audit_logs WHERE target_id = $1 AND action = 'contact.exported'`,
        [contactId],
      );
      expect(audit).toEqual({ action: 'contact.exported', changes: null });
    });

    it('erases personal data everywhere, keeps the counts, and answers the same when asked again', async () => {
      const countsOf = () =>
        api.dataSource.query(
          `SELECT (SELECT count(*)::int FROM messages WHERE contact_id = $1) AS messages,
                  (SELECT count(*)::int FROM conversations WHERE contact_id = $1) AS conversations,
                  (SELECT count(*)::int FROM notes WHERE conversation_id = $2) AS notes`,
          [contactId, conversationId],
        );
      const before = await countsOf();
      const [own] = await api.dataSource.query('SELECT storage_key FROM media WHERE id = $1', [ownMedia]);
      await expect(access(join(storageDir, own.storage_key))).resolves.toBeUndefined();
      expect((await agent.post(path(`/${contactId}/erase`))).status).toBe(403);
      const reply = await owner.post(path(`/${contactId}/erase`));
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        id: contactId,
        phone: `erased:${contactId}`,
        waId: `erased:${contactId}`,
        name: null,
        profileName: null,
        displayName: null,
        tags: [],
        attributes: {},
        optInStatus: 'unknown',
        erasedAt: expect.any(String),
      });
      expect(await countsOf()).toEqual(before);

      const messages = await api.dataSource.query(
        'SELECT type, direction, status, body, payload, reactions, media_id FROM messages WHERE contact_id = $1',
        [contactId],
      );
      expect(messages).toHaveLength(3);
      for (const message of messages) {
        expect(message).toEqual({
          type: 'text',
          direction: 'inbound',
          status: 'received',
          body: '',
          payload: { redacted: true },
          reactions: [],
          media_id: null,
        });
      }
      const [conversation] = await api.dataSource.query(
        'SELECT last_message_preview FROM conversations WHERE id = $1',
        [conversationId],
      );
      expect(conversation.last_message_preview).toBeNull();
      expect(await api.dataSource.query('SELECT body FROM notes WHERE conversation_id = $1', [conversationId])).toEqual(
        [{ body: '' }],
      );
      const webhooks = JSON.stringify(
        await api.dataSource.query('SELECT payload FROM webhook_events WHERE org_id = $1', [orgId]),
      );
      for (const secret of [from, 'Maria Secret', 'Rua das Flores', 'ID card']) expect(webhooks).not.toContain(secret);
      expect(webhooks).toContain('Other Customer');
      const audit = await auditOf(contactId);
      expect(JSON.stringify(audit)).not.toMatch(/Maria|RG 12|vip|5511987651301/);
      expect(audit.filter((row: { action: string }) => row.action === 'contact.updated')[0].changes.after).toEqual({
        name: '[erased]',
        tags: '[erased]',
        attributes: '[erased]',
      });
      expect(audit[audit.length - 1]).toEqual({ action: 'contact.erased', changes: null });

      // Her own file is gone, rows and bytes; the brochure another customer was sent stays.
      expect((await owner.get(`/api/v1/orgs/${orgId}/media/${ownMedia}`)).status).toBe(404);
      await expect(access(join(storageDir, own.storage_key))).rejects.toThrow();
      expect((await owner.get(`/api/v1/orgs/${orgId}/media/${sharedMedia}`)).status).toBe(200);
      const [shared] = await api.dataSource.query('SELECT storage_key FROM media WHERE id = $1', [sharedMedia]);
      await expect(access(join(storageDir, shared.storage_key))).resolves.toBeUndefined();

      const again = await owner.post(path(`/${contactId}/erase`));
      expect(again.status).toBe(200);
      expect(again.body).toEqual(reply.body);
      expect(
        (await auditOf(contactId)).filter((row: { action: string }) => row.action === 'contact.erased'),
      ).toHaveLength(1);
    });

    it('refuses changes to an erased contact (422) and leaves it out of lists unless asked', async () => {
      const reply = await agent.patch(path(`/${contactId}`), { name: 'Back again' });
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('contact_erased');
      expect((await list('?limit=100')).data.map((c: { id: string }) => c.id)).not.toContain(contactId);
      expect((await list('?limit=100&includeErased=true')).data.map((c: { id: string }) => c.id)).toContain(contactId);
    });

    it('makes a new contact when the same person writes again', async () => {
      await meta.customerWrites(from, 'hi, it is me again', 'Maria Returns');
      const fresh = await eventually(
        async () => (await api.dataSource.query('SELECT * FROM contacts WHERE phone = $1', [`+${from}`]))[0],
        5000,
        'the new contact',
      );
      expect(fresh.id).not.toBe(contactId);
      expect(fresh).toMatchObject({ profile_name: 'Maria Returns', wa_id: from, erased_at: null });
      expect((await contactRow(contactId)).phone).toBe(`erased:${contactId}`);
    });
  });

  describe('tenancy', () => {
    it("answers 404 for another org's contacts, by any route, and changes nothing", async () => {
      const victim = expectStatus(await create({ phone: '+1 650 555 0188', name: 'Tenant A Customer' }), 201);
      const attempts = (org: string) => [
        outsider.get(path(`/${victim.id}`, org)),
        outsider.patch(path(`/${victim.id}`, org), { name: 'Hijacked' }),
        outsider.delete(path(`/${victim.id}`, org)),
        outsider.get(path(`/${victim.id}/export`, org)),
        outsider.post(path(`/${victim.id}/erase`, org)),
      ];
      for (const reply of await Promise.all([...attempts(otherOrgId), ...attempts(orgId)])) {
        expect(reply.status).toBe(404);
        expect(JSON.stringify(reply.body)).not.toContain('Tenant A');
      }
      expect((await outsider.get(path('?q=Tenant', otherOrgId))).body.data).toEqual([]);
      expect(await contactRow(victim.id)).toMatchObject({ name: 'Tenant A Customer', erased_at: null });
      expect((await owner.get(path('/not-a-uuid'))).status).toBe(404);
    });
  });
});
