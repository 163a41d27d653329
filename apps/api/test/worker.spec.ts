import { getQueueToken } from '@nestjs/bull';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MAIL_TRANSPORT, MailMessage, MailTransport, QueueName } from '@parley/api/core';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { RETENTION, PurgeResult } from '../src/housekeeping/housekeeping.job';
import { WorkerModule } from '../src/worker.module';
import { eventually, expectStatus, TestApi, TestSession } from './harness';

class CapturingTransport implements MailTransport {
  readonly sent: (MailMessage & { from: string })[] = [];
  async send(message: MailMessage & { from: string }): Promise<void> {
    this.sent.push(message);
  }
}

describe('worker', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  const mail = new CapturingTransport();

  beforeAll(async () => {
    api = await TestApi.start();
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(MAIL_TRANSPORT)
      .useValue(mail)
      .compile();
    await worker.init();
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('delivers invitation mail queued by the api, with the invitation link', async () => {
    const owner = await TestSession.signup(api, 'owner');
    const org = await owner.createOrg('Mail Org');
    const invitation = expectStatus(
      await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: 'new.agent@example.com', role: 'agent' }),
      201,
    );
    const message = await eventually(
      async () => mail.sent.find((m) => m.to === 'new.agent@example.com'),
      10_000,
      'invitation mail',
    );
    expect(message).toMatchObject({
      orgId: org.id,
      from: 'Parley <no-reply@parley.local>',
      subject: `${owner.user.name} invited you to Mail Org on Parley`,
      text: expect.stringContaining(invitation.inviteUrl),
    });
  });

  describe('housekeeping', () => {
    const queue = () => worker.get<Queue>(getQueueToken(QueueName.Housekeeping));

    it('schedules itself hourly', async () => {
      const repeatable = await queue().getRepeatableJobs();
      expect(repeatable).toContainEqual(expect.objectContaining({ name: 'purge', every: 3_600_000 }));
    });

    it('deletes sessions and invitations that ended long ago, and keeps the rest', async () => {
      const db = worker.get(DataSource);
      const owner = await TestSession.signup(api, 'keeper');
      const org = await owner.createOrg();
      const old = await TestSession.signup(api, 'old');
      await old.post('/api/v1/auth/logout');
      const longAgo = new Date(Date.now() - RETENTION.sessionsMs - 60_000);
      await db.query(`UPDATE auth_sessions SET revoked_at = $2 WHERE user_id = $1`, [old.user.id, longAgo]);
      const stale = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: 'stale@example.com', role: 'viewer' }),
        201,
      );
      const fresh = expectStatus(
        await owner.post(`/api/v1/orgs/${org.id}/invitations`, { email: 'fresh@example.com', role: 'viewer' }),
        201,
      );
      await db.query(`UPDATE invitations SET expires_at = now() - interval '31 days' WHERE id = $1`, [stale.id]);

      await db.query(
        `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)
         VALUES ('user:purge-test', 'old', 'x', now() - interval '25 hours'), ('user:purge-test', 'fresh', 'x', now())`,
      );

      const job = await queue().add('purge', {});
      const result = (await job.finished()) as PurgeResult;
      expect(result.sessions).toBeGreaterThanOrEqual(1);
      expect(result.invitations).toBeGreaterThanOrEqual(1);
      expect(result.idempotencyKeys).toBeGreaterThanOrEqual(1);
      expect(await db.query(`SELECT key FROM idempotency_keys WHERE scope = 'user:purge-test'`)).toEqual([
        { key: 'fresh' },
      ]);

      const sessions = await db.query('SELECT user_id FROM auth_sessions WHERE user_id = ANY($1)', [
        [old.user.id, owner.user.id],
      ]);
      expect(sessions).toEqual([{ user_id: owner.user.id }]);
      const invitations = await db.query('SELECT id FROM invitations WHERE org_id = $1', [org.id]);
      expect(invitations).toEqual([{ id: fresh.id }]);
      expect((await owner.get('/api/v1/me')).status).toBe(200);
    });
  });
});
