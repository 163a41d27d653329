import { INestApplicationContext } from '@nestjs/common';
import { RetentionService } from '@parley/api/privacy';
import { expectStatus, FakeMeta, randomDigits, startWorker, TestApi, TestSession } from './harness';

/** An IANA zone whose local hour is 03:00 now (`Etc/GMT-7` is UTC+7). */
/** A time zone where it is now `hour` o'clock. */
function zoneAt(hour: number): string {
  let offset = hour - new Date().getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

describe('message retention', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let orgId: string;
  let meta: FakeMeta;
  const customer = `55119${randomDigits(8)}`;

  const org = () => `/api/v1/orgs/${orgId}`;
  const messages = (): Promise<{ wa_message_id: string; body: string; media_id: string | null }[]> =>
    api.dataSource.query('SELECT wa_message_id, body, media_id FROM messages WHERE org_id = $1 ORDER BY created_at', [
      orgId,
    ]);
  /** Moves a message, and the webhook that brought it, `days` into the past. */
  const age = async (waMessageId: string, days: number) => {
    await api.dataSource.query(
      `UPDATE messages SET created_at = created_at - ($2 || ' days')::interval WHERE wa_message_id = $1`,
      [waMessageId, days],
    );
    await api.dataSource.query(
      `UPDATE webhook_events SET received_at = received_at - ($2 || ' days')::interval
       WHERE strpos(payload::text, $1) > 0`,
      [waMessageId, days],
    );
  };
  const upload = async () => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.from('%PDF-1.4 price list')], { type: 'application/pdf' }), 'prices.pdf');
    const response = await fetch(`${api.baseUrl}${org()}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.accessToken}` },
      body: form,
    });
    return ((await response.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Retention Org')).id;
    meta = await owner.fakeMeta(orgId);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('is set by owners only, and the change is audited', async () => {
    const admin = await owner.addTeammate(orgId, 'admin');
    const refused = await admin.patch(org(), { messageRetentionDays: 30 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual([
      { field: 'messageRetentionDays', message: 'Only an owner can change how long messages are kept' },
    ]);
    expect((await owner.patch(org(), { messageRetentionDays: 0 })).status).toBe(400);
    expect((await owner.patch(org(), { messageRetentionDays: 1.5 })).status).toBe(400);

    const set = expectStatus(await owner.patch(org(), { messageRetentionDays: 30 }), 200);
    expect(set).toMatchObject({ messageRetentionDays: 30, retentionRanAt: null });
    const [entry] = expectStatus(await owner.get(`${org()}/audit-logs?action=org.updated`), 200).data;
    expect(entry.changes).toEqual({ before: { messageRetentionDays: null }, after: { messageRetentionDays: 30 } });
  });

  it('clears bodies, files and raw webhooks older than the period, keeps counts and newer messages, and audits the pass', async () => {
    const old = await meta.customerWrites(customer, 'my card number is 4111 1111 1111 1111');
    const withFile = await meta.customerWrites(customer, 'see the attached prices');
    const recent = await meta.customerWrites(customer, 'still there?');
    const fileId = await upload();
    await api.dataSource.query('UPDATE messages SET media_id = $1 WHERE wa_message_id = $2', [fileId, withFile]);
    await age(old, 45);
    await age(withFile, 31);

    const result = await worker.get(RetentionService).apply(orgId);
    expect(result).toEqual({ cutoff: expect.any(Date), messages: 2, media: 1, webhookEvents: 2 });

    expect(await messages()).toEqual([
      { wa_message_id: old, body: '', media_id: null },
      { wa_message_id: withFile, body: '', media_id: null },
      { wa_message_id: recent, body: 'still there?', media_id: null },
    ]);
    const [payload] = await api.dataSource.query('SELECT payload FROM messages WHERE wa_message_id = $1', [old]);
    expect(payload.payload).toEqual({ redacted: true });
    expect((await owner.get(`${org()}/media/${fileId}`)).status).toBe(404);
    const webhooks = await api.dataSource.query(
      `SELECT count(*)::int AS n FROM webhook_events WHERE org_id = $1 AND strpos(payload::text, '4111') > 0`,
      [orgId],
    );
    expect(webhooks[0].n).toBe(0);

    const [entry] = expectStatus(await owner.get(`${org()}/audit-logs?action=org.retention_applied`), 200).data;
    expect(entry).toMatchObject({
      actor: expect.objectContaining({ type: 'system' }),
      changes: { after: { retentionDays: 30, messages: 2, media: 1, webhookEvents: 2 } },
    });
    expect(expectStatus(await owner.get(org()), 200).retentionRanAt).toEqual(expect.any(String));

    // The next pass starts where this one stopped: nothing is cleared twice.
    expect(await worker.get(RetentionService).apply(orgId)).toMatchObject({ messages: 0, media: 0 });
  });

  it('runs nightly in the org’s time zone, once a night', async () => {
    await api.dataSource.query(
      `UPDATE organizations SET timezone = $2, retention_ran_at = now() - interval '1 day' WHERE id = $1`,
      [orgId, zoneAt(3)],
    );
    const lastNight = await api.dataSource.query('SELECT retention_ran_at FROM organizations WHERE id = $1', [orgId]);
    await worker.get(RetentionService).applyDue();
    const [tonight] = await api.dataSource.query('SELECT retention_ran_at FROM organizations WHERE id = $1', [orgId]);
    expect(tonight.retention_ran_at.getTime()).toBeGreaterThan(lastNight[0].retention_ran_at.getTime());
    await worker.get(RetentionService).applyDue();
    const [again] = await api.dataSource.query('SELECT retention_ran_at FROM organizations WHERE id = $1', [orgId]);
    expect(again.retention_ran_at).toEqual(tonight.retention_ran_at);

    // Midday there: not tonight.
    await api.dataSource.query(
      `UPDATE organizations SET timezone = $2, retention_ran_at = now() - interval '1 day' WHERE id = $1`,
      [orgId, zoneAt(15)],
    );
    const before = await api.dataSource.query('SELECT retention_ran_at FROM organizations WHERE id = $1', [orgId]);
    await worker.get(RetentionService).applyDue();
    const after = await api.dataSource.query('SELECT retention_ran_at FROM organizations WHERE id = $1', [orgId]);
    expect(after).toEqual(before);
  });

  it('keeps everything when the org has no period', async () => {
    expectStatus(await owner.patch(org(), { messageRetentionDays: null }), 200);
    expect(await worker.get(RetentionService).apply(orgId)).toBeNull();
  });
});
