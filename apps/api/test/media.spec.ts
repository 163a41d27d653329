/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import { getQueueToken } from '@nestjs/bull';
import type { INestApplicationContext } from '@nestjs/common';
import { QueueName, RealtimePublisher } from '@parley/api/core';
import { MediaService } from '@parley/api/media';
import { PhoneNumber } from '@parley/api/waba-accounts';
import type { InboundMedia } from '@parley/whatsapp/cloud-api';
import type { RunningSandbox } from '@parley/whatsapp/sandbox';
import type { Queue } from 'bull';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  eventually,
  expectStatus,
  SandboxAccount,
  sandboxControl,
  startTestSandbox,
  startWorker,
  TestApi,
  TestSession,
} from './harness';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');
/** Distinct bytes per call, so no two files in a run are alike. */
const bytes = (size: number) => {
  const data = Buffer.alloc(size, 7);
  randomUUID()
    .split('')
    .forEach((c, i) => (data[i % size] = c.charCodeAt(0)));
  return data;
};

/** Every file under `dir`, relative, recursively (missing directory: none). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('media', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let worker: INestApplicationContext;
  let storageDir: string;
  let owner: TestSession;
  let viewer: TestSession;
  let outsider: TestSession;
  let orgId: string;
  let otherOrgId: string;

  const uploadsDir = join(tmpdir(), 'parley-uploads');

  /** POST …/media as multipart with one part (`file` unless told otherwise). */
  async function upload(
    data: Buffer,
    type: string,
    filename: string,
    options: { session?: TestSession; org?: string; field?: string } = {},
  ) {
    const form = new FormData();
    form.set(options.field ?? 'file', new Blob([data], { type }), filename);
    const response = await fetch(`${api.baseUrl}/api/v1/orgs/${options.org ?? orgId}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(options.session ?? owner).accessToken}` },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function content(mediaId: string, session = owner, org = orgId) {
    const response = await fetch(`${api.baseUrl}/api/v1/orgs/${org}/media/${mediaId}/content`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    return { status: response.status, headers: response.headers, data: Buffer.from(await response.arrayBuffer()) };
  }

  const mediaRows = async (org = orgId) =>
    Number((await api.dataSource.query('SELECT count(*) FROM media WHERE org_id = $1', [org]))[0].count);

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'parley-media-test-'));
    process.env['MEDIA_STORAGE_DIR'] = storageDir;
    // Short, so a test can make the sandbox slow enough to time out without waiting long.
    process.env['GRAPH_API_TIMEOUT_MS'] = '1000';
    process.env['GRAPH_API_MEDIA_TIMEOUT_MS'] = '1000';
    sandbox = await startTestSandbox();
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Media Org')).id;
    viewer = await owner.addTeammate(orgId, 'viewer');
    outsider = await TestSession.signup(api, 'outsider');
    otherOrgId = (await outsider.createOrg('Other Org')).id;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  describe('uploads', () => {
    it('stores a file, describes it, and serves the same bytes with headers that keep it inert', async () => {
      const data = bytes(300_000);
      const reply = await upload(data, 'image/png', 'shop front.png');
      expect(reply.status).toBe(201);
      const id = reply.body.id;
      const dto = {
        id: expect.any(String),
        kind: 'image',
        mimeType: 'image/png',
        sizeBytes: 300_000,
        filename: 'shop front.png',
        sha256: sha256(data),
        status: 'stored',
        error: null,
        createdAt: expect.any(String),
        url: `/api/v1/orgs/${orgId}/media/${id}/content`,
      };
      expect(reply.body).toEqual(dto);
      expect(expectStatus(await owner.get(`/api/v1/orgs/${orgId}/media/${id}`), 200)).toEqual(dto);

      const file = await content(id);
      expect(file.status).toBe(200);
      expect(sha256(file.data)).toBe(sha256(data));
      expect(file.headers.get('content-type')).toBe('image/png');
      expect(file.headers.get('content-length')).toBe('300000');
      expect(file.headers.get('content-disposition')).toBe(
        `inline; filename="shop front.png"; filename*=UTF-8''shop%20front.png`,
      );
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toMatch(/^default-src 'none';.*\bsandbox$/);

      // Kept under the org's own prefix; the upload's temp file is gone.
      const [row] = await api.dataSource.query('SELECT storage_key FROM media WHERE id = $1', [id]);
      expect(row.storage_key).toMatch(new RegExp(`^${orgId}/\\d{4}/\\d{2}/[0-9a-f-]{36}$`));
      expect(await filesUnder(storageDir)).toContain(row.storage_key);
      expect(await filesUnder(uploadsDir)).toEqual([]);
    });

    it('downloads documents as attachments under their UTF-8 name, and audits uploads without their content', async () => {
      const data = bytes(2_000);
      const reply = await upload(data, 'application/pdf', 'Relatório de março.pdf');
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ kind: 'document', filename: 'Relatório de março.pdf' });
      const file = await content(reply.body.id);
      expect(file.data.equals(data)).toBe(true);
      expect(file.headers.get('content-disposition')).toBe(
        `attachment; filename="Relat_rio de mar_o.pdf"; filename*=UTF-8''Relat%C3%B3rio%20de%20mar%C3%A7o.pdf`,
      );

      const audit = expectStatus(
        await owner.get(`/api/v1/orgs/${orgId}/audit-logs?action=media.uploaded&targetId=${reply.body.id}`),
        200,
      );
      expect(audit.data).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining({ id: owner.user.id }),
          targetType: 'media',
          changes: {
            after: {
              kind: 'document',
              mimeType: 'application/pdf',
              sizeBytes: 2_000,
              filename: 'Relatório de março.pdf',
              sha256: sha256(data),
            },
          },
        }),
      ]);
    });

    it.each([
      ['an HTML page', 'text/html', 'page.html'],
      ['a Windows program', 'application/x-msdownload', 'setup.exe'],
      ['an SVG image', 'image/svg+xml', 'logo.svg'],
    ])('refuses %s with 422 naming file, storing nothing', async (_label, type, filename) => {
      const rowsBefore = await mediaRows();
      const filesBefore = await filesUnder(storageDir);
      const reply = await upload(Buffer.from('<script>alert(1)</script>'), type, filename);
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({
        code: 'media_not_accepted',
        details: [{ field: 'file', message: expect.stringContaining(type) }],
      });
      expect(await mediaRows()).toBe(rowsBefore);
      expect(await filesUnder(storageDir)).toEqual(filesBefore);
      expect(await filesUnder(uploadsDir)).toEqual([]);
    });

    it('refuses an image over 5 MB with 422 naming file', async () => {
      const reply = await upload(bytes(5 * 1024 * 1024 + 1), 'image/jpeg', 'huge.jpg');
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({
        code: 'media_not_accepted',
        details: [{ field: 'file', message: 'image must be at most 5120 KB (got 5121 KB)' }],
      });
    });

    it('answers 413 for a file over 100 MB, received as a stream and stored nowhere', async () => {
      const rowsBefore = await mediaRows();
      const boundary = `parley-${randomUUID()}`;
      const megabyte = Buffer.alloc(1024 * 1024, 0x25);
      async function* body() {
        yield Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        );
        for (let i = 0; i < 101; i += 1) yield megabyte;
        yield Buffer.from(`\r\n--${boundary}--\r\n`);
      }
      const response = await fetch(`${api.baseUrl}/api/v1/orgs/${orgId}/media`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${owner.accessToken}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body: Readable.from(body()) as unknown as RequestInit['body'],
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(((await response.json()) as any).error).toMatchObject({
        code: 'payload_too_large',
        details: [{ field: 'file', message: 'file must be at most 100 MB' }],
      });
      expect(await mediaRows()).toBe(rowsBefore);
      expect(await filesUnder(uploadsDir)).toEqual([]);
    });

    it('answers 400 naming file when there is no file part', async () => {
      const json = await owner.post(`/api/v1/orgs/${orgId}/media`, { file: 'not a file' });
      expect(json.status).toBe(400);
      expect(json.body.error.details).toEqual([
        { field: 'file', message: expect.stringContaining('file is required') },
      ]);

      const wrongField = await upload(bytes(10), 'image/png', 'a.png', { field: 'image' });
      expect(wrongField.status).toBe(400);
      expect(wrongField.body.error.details).toEqual([
        { field: 'file', message: 'image is not allowed: send the file as the multipart field "file"' },
      ]);

      const form = new FormData();
      form.set('caption', 'no file here');
      const fieldOnly = await fetch(`${api.baseUrl}/api/v1/orgs/${orgId}/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner.accessToken}` },
        body: form,
      });
      expect(fieldOnly.status).toBe(400);
      expect(((await fieldOnly.json()) as any).error.details[0].field).toBe('file');
      expect(await filesUnder(uploadsDir)).toEqual([]);
    });

    it('lets a viewer read and download but not upload', async () => {
      const data = bytes(1_000);
      const id = (await upload(data, 'audio/mpeg', 'jingle.mp3')).body.id;
      expect((await upload(bytes(10), 'image/png', 'x.png', { session: viewer })).status).toBe(403);
      expect(expectStatus(await viewer.get(`/api/v1/orgs/${orgId}/media/${id}`), 200).kind).toBe('audio');
      const file = await content(id, viewer);
      expect(file.status).toBe(200);
      expect(file.data.equals(data)).toBe(true);
    });

    it("answers 404 for another org's media, unknown ids and malformed ids", async () => {
      const id = (await upload(bytes(100), 'image/png', 'mine.png')).body.id;
      const theirs = (await upload(bytes(100), 'image/png', 'theirs.png', { session: outsider, org: otherOrgId })).body
        .id;
      for (const path of [
        `/api/v1/orgs/${otherOrgId}/media/${id}`,
        `/api/v1/orgs/${otherOrgId}/media/${id}/content`,
        `/api/v1/orgs/${orgId}/media/${theirs}`,
      ]) {
        const reply = await outsider.get(path);
        expect(reply.status).toBe(404);
      }
      expect((await owner.get(`/api/v1/orgs/${orgId}/media/${theirs}`)).body.error.message).toBe('Media not found');
      expect((await content(theirs)).status).toBe(404);
      expect((await owner.get(`/api/v1/orgs/${orgId}/media/${randomUUID()}`)).status).toBe(404);
      expect((await owner.get(`/api/v1/orgs/${orgId}/media/not-a-uuid/content`)).status).toBe(404);
    });
  });

  describe('inbound files and sending', () => {
    let connection: SandboxAccount;
    let number: PhoneNumber;
    let media: MediaService;
    let queue: Queue;
    let published: jest.SpyInstance;

    const control = (method: string, path: string, body?: unknown) => sandboxControl(sandbox)(method, path, body);
    /** A customer sends a file through the sandbox; what its webhook says about the file. */
    const customerSends = async (type: 'image' | 'document' | 'audio', file: Record<string, unknown>) => {
      const message = await control('POST', '/inbound', {
        phoneNumberId: connection.number.phoneNumberId,
        from: '5511987650100',
        type,
        [type]: file,
      });
      const sent = message[type];
      return {
        kind: type,
        id: sent.id,
        mimeType: sent.mime_type,
        sha256: sent.sha256,
        caption: sent.caption ?? null,
        filename: sent.filename ?? null,
        voice: sent.voice === true,
        animated: false,
      } satisfies InboundMedia;
    };
    const record = (file: InboundMedia) =>
      api.dataSource.transaction((manager) => media.recordInbound(manager, number, file));
    const stateOf = async (id: string) => expectStatus(await owner.get(`/api/v1/orgs/${orgId}/media/${id}`), 200);
    const settled = (id: string, status: string, timeoutMs = 15_000) =>
      eventually(
        async () => {
          const dto = await stateOf(id);
          return dto.status === status && dto;
        },
        timeoutMs,
        `media ${id} ${status}`,
      );
    const uploadsToSandbox = () =>
      [...sandbox.ctx.state.media.values()].filter((m) => m.phoneNumberId === connection.number.phoneNumberId);

    beforeAll(async () => {
      connection = await owner.connectSandbox(orgId, sandbox);
      number = await api.dataSource.getRepository(PhoneNumber).findOneByOrFail({ id: connection.number.id });
      media = api.app.get(MediaService);
      queue = api.app.get(getQueueToken(QueueName.Media));
      published = jest.spyOn(worker.get(RealtimePublisher), 'toOrg');
    });
    afterEach(() => control('DELETE', '/scenario'));

    it("downloads a customer's image from the sandbox, serves its bytes and tells the org", async () => {
      const photo = bytes(40_000);
      const file = await customerSends('image', {
        dataBase64: photo.toString('base64'),
        mimeType: 'image/jpeg',
        caption: 'this one',
      });
      const id = await record(file);
      expect(await stateOf(id)).toMatchObject({ status: 'pending', sizeBytes: null, sha256: sha256(photo) });
      await media.queueDownload(orgId, id);

      const stored = await settled(id, 'stored');
      expect(stored).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', sizeBytes: 40_000, sha256: sha256(photo) });
      const served = await content(id);
      expect(served.data.equals(photo)).toBe(true);
      expect(served.headers.get('content-disposition')).toMatch(/^inline; filename="image-[0-9a-f]{8}\.jpg"/);
      expect(published).toHaveBeenCalledWith(
        orgId,
        'media.updated',
        expect.objectContaining({ id, status: 'stored', sizeBytes: 40_000 }),
      );
    });

    it("stores the file of a customer's message that came through the webhook path", async () => {
      const photo = bytes(6_000);
      const file = await customerSends('image', { dataBase64: photo.toString('base64'), mimeType: 'image/png' });
      const row = await eventually(
        async () =>
          (
            await api.dataSource.query(
              `SELECT id FROM media WHERE org_id = $1 AND wa_media_id = $2 AND status = 'stored'`,
              [orgId, file.id],
            )
          )[0],
        15_000,
        'the webhook path to store the image',
      );
      expect((await content(row.id)).data.equals(photo)).toBe(true);
    });

    it('keeps a voice note and a document with their types and names', async () => {
      const voice = await customerSends('audio', { voice: true });
      const pdf = bytes(3_000);
      const document = await customerSends('document', {
        dataBase64: pdf.toString('base64'),
        mimeType: 'application/pdf',
        filename: 'boleto.pdf',
      });
      const ids = [await record(voice), await record(document)];
      for (const id of ids) await media.queueDownload(orgId, id);
      const [storedVoice, storedDocument] = await Promise.all(ids.map((id) => settled(id, 'stored')));
      expect(storedVoice).toMatchObject({ kind: 'audio', mimeType: 'audio/ogg; codecs=opus' });
      expect(storedDocument).toMatchObject({ kind: 'document', filename: 'boleto.pdf', sizeBytes: 3_000 });
      expect((await content(ids[1] as string)).headers.get('content-disposition')).toMatch(
        /^attachment; filename="boleto.pdf"/,
      );
    });

    it('ends failed, without retrying, when Meta does not know the media id', async () => {
      const id = await record({
        kind: 'image',
        id: '999000111222333',
        mimeType: 'image/jpeg',
        sha256: null,
        caption: null,
        filename: null,
        voice: false,
        animated: false,
      });
      await media.queueDownload(orgId, id);
      const failed = await settled(id, 'failed', 5_000);
      expect(failed.error).toMatch(/^WhatsApp did not provide the file: \(#100\) .*999000111222333/);
      // Done in one go: the job completed (as `failed`) instead of going back for retries.
      const job = await queue.getJob(`download-${id}`);
      expect(await job?.getState()).toBe('completed');
      expect(job?.returnvalue).toBe('failed');
      const file = await content(id);
      expect(file.status).toBe(404);
      expect(JSON.parse(file.data.toString()).error.message).toBe(
        'Media content not available: the download from WhatsApp failed',
      );
      expect(published).toHaveBeenCalledWith(orgId, 'media.updated', expect.objectContaining({ id, status: 'failed' }));
    });

    it('retries a download that timed out, and stores the file once Meta answers', async () => {
      const file = await customerSends('image', { dataBase64: bytes(5_000).toString('base64'), mimeType: 'image/png' });
      await control('PUT', '/scenario', { latencyMs: 1_500 });
      const id = await record(file);
      await media.queueDownload(orgId, id);
      await eventually(
        async () => ((await queue.getJob(`download-${id}`))?.attemptsMade ?? 0) >= 1,
        10_000,
        'a first attempt',
      );
      expect((await stateOf(id)).status).toBe('pending');
      await control('DELETE', '/scenario');
      await settled(id, 'stored', 15_000);
    });

    it("marks the row failed when the last attempt fails, and refuses bytes that don't match Meta's SHA-256", async () => {
      // One attempt each, so the last attempt is the first.
      // Each row is recorded just before its job is queued: a row left pending for a second would
      // be queued by the worker's sweeper first, with the usual retries, and this job id ignored.
      const slow = await customerSends('image', { dataBase64: bytes(500).toString('base64'), mimeType: 'image/png' });
      const tampered = { ...(await customerSends('image', { mimeType: 'image/png' })), sha256: sha256(bytes(10)) };
      const tamperedId = await record(tampered);
      await queue.add('download', { orgId, mediaId: tamperedId }, { jobId: `download-${tamperedId}`, attempts: 1 });
      const mismatch = await settled(tamperedId, 'failed');
      expect(mismatch.error).toBe(
        'Could not download the file from WhatsApp: the downloaded bytes do not match the SHA-256 WhatsApp reported',
      );

      await control('PUT', '/scenario', { latencyMs: 1_500 });
      const slowId = await record(slow);
      await queue.add('download', { orgId, mediaId: slowId }, { jobId: `download-${slowId}`, attempts: 1 });
      const timedOut = await settled(slowId, 'failed');
      expect(timedOut.error).toBe('WhatsApp did not provide the file: Graph API unreachable: timed out after 1000 ms');
      // Neither row got a file: nothing was stored for bytes that were refused or never came.
      const rows = await api.dataSource.query('SELECT storage_key, size_bytes FROM media WHERE id = ANY($1)', [
        [tamperedId, slowId],
      ]);
      expect(rows).toEqual([
        { storage_key: null, size_bytes: null },
        { storage_key: null, size_bytes: null },
      ]);
    });

    it('downloads files whose job Redis never got (the sweeper queues them)', async () => {
      const photo = bytes(1_234);
      const id = await record(
        await customerSends('image', { dataBase64: photo.toString('base64'), mimeType: 'image/png' }),
      );
      const pending = await content(id);
      expect(pending.status).toBe(404);
      expect(JSON.parse(pending.data.toString()).error.message).toBe(
        'Media content not available yet: the file is still being downloaded from WhatsApp',
      );
      await settled(id, 'stored', 10_000);
      expect((await content(id)).data.equals(photo)).toBe(true);
    });

    it("uploads a file to Meta once per number and reuses the id, never a customer's", async () => {
      const data = bytes(20_000);
      const id = (await upload(data, 'image/jpeg', 'offer.jpg')).body.id;
      const before = uploadsToSandbox().length;
      const ids = await Promise.all([1, 2, 3].map(() => media.waMediaIdFor(orgId, id, number)));
      expect(new Set(ids).size).toBe(1);
      expect(uploadsToSandbox().length).toBe(before + 1);
      const uploaded = sandbox.ctx.state.media.get(ids[0] as string);
      expect(uploaded?.data.equals(data)).toBe(true);
      expect(uploaded).toMatchObject({ mimeType: 'image/jpeg', filename: 'offer.jpg' });
      expect(await media.waMediaIdFor(orgId, id, number)).toBe(ids[0]);
      expect(uploadsToSandbox().length).toBe(before + 1);

      // Meta keeps uploads 30 days: an id near that age is not reused.
      await api.dataSource.query(`UPDATE media SET wa_uploaded_at = now() - interval '29 days 1 hour' WHERE id = $1`, [
        id,
      ]);
      const fresh = await media.waMediaIdFor(orgId, id, number);
      expect(fresh).not.toBe(ids[0]);
      expect(uploadsToSandbox().length).toBe(before + 2);

      // A customer's file is sent under an id of our own upload.
      const inbound = await customerSends('image', {
        dataBase64: bytes(800).toString('base64'),
        mimeType: 'image/png',
      });
      const inboundId = await record(inbound);
      await media.queueDownload(orgId, inboundId);
      await settled(inboundId, 'stored');
      const forSending = await media.waMediaIdFor(orgId, inboundId, number);
      expect(forSending).not.toBe(inbound.id);
      expect(sandbox.ctx.state.media.get(forSending)?.data.length).toBe(800);

      await expect(media.waMediaIdFor(otherOrgId, id, number)).rejects.toThrow('Phone number not found');
    });

    it('erases rows in the caller transaction and removes their files after it', async () => {
      const mine = (await upload(bytes(100), 'image/png', 'erase-me.png')).body.id;
      const theirs = (await upload(bytes(100), 'image/png', 'keep-me.png', { session: outsider, org: otherOrgId })).body
        .id;
      const [row] = await api.dataSource.query('SELECT storage_key FROM media WHERE id = $1', [mine]);
      const keys = await api.dataSource.transaction((manager) =>
        media.deleteRows(manager, orgId, [mine, theirs, 'not-a-uuid']),
      );
      expect(keys).toEqual([row.storage_key]);
      expect(await filesUnder(storageDir)).toContain(row.storage_key);
      await media.deleteFiles(keys);
      await media.deleteFiles(keys);
      expect(await filesUnder(storageDir)).not.toContain(row.storage_key);
      expect((await owner.get(`/api/v1/orgs/${orgId}/media/${mine}`)).status).toBe(404);
      expect((await content(theirs, outsider, otherOrgId)).status).toBe(200);
    });
  });
});
