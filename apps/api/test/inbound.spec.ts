import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bull';
import { QueueName } from '@parley/api/core';
import { InboundService } from '@parley/api/conversations';
import { PhoneNumber } from '@parley/api/waba-accounts';
import { parseWebhook, signPayload, type StatusEvent } from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, expectStatus, randomDigits, randomSecret, startWorker, TestApi, TestSession } from './harness';

/** A Meta-shaped `messages` webhook for one of our numbers. */
function messagesWebhook(wabaId: string, phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100001', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

describe('inbound webhooks', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let orgId: string;
  let account: { id: string; wabaId: string; verifyToken: string };
  let number: { id: string; phoneNumberId: string };
  const appSecret = `secret-${randomSecret()}`;

  const post = (
    body: string | Buffer,
    signature: string | undefined = signPayload(body, appSecret),
    accountId = account.id,
  ) =>
    api.request('POST', `/api/v1/webhooks/whatsapp/${accountId}`, {
      rawBody: body.toString(),
      headers: { 'content-type': 'application/json', ...(signature && { 'x-hub-signature-256': signature }) },
    });
  /** A signed-ready inbound message webhook: its JSON and the message's wamid. */
  const inbound = (message: Record<string, unknown>, from = '5511987654321', name = 'Maria Souza') => {
    const id = `wamid.${randomUUID()}`;
    const payload = messagesWebhook(account.wabaId, number.phoneNumberId, {
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
    });
    return { id, json: JSON.stringify(payload) };
  };
  const eventsOf = (accountId: string) =>
    api.dataSource.query(
      'SELECT id, status, attempts, last_error FROM webhook_events WHERE waba_account_id = $1 ORDER BY id',
      [accountId],
    );
  const processed = async (count: number) =>
    eventually(
      async () => {
        const rows = await eventsOf(account.id);
        return (
          rows.length >= count &&
          rows.every((r: { status: string }) => r.status !== 'pending' && r.status !== 'failed') &&
          rows
        );
      },
      15_000,
      `${count} processed events`,
    );

  /** Resolves once a statement matching `query` (a LIKE pattern) waits on a lock. */
  const waitingOnLock = (query: string, what: string) =>
    eventually(
      async () =>
        (
          await api.dataSource.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
            [query],
          )
        ).length > 0,
      15_000,
      what,
    );

  beforeAll(async () => {
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Inbound')).id;
    account = await owner.createWabaAccount(orgId, { appSecret, verifyToken: 'verify-inbound-1' });
    number = expectStatus(
      await owner.post(`/api/v1/orgs/${orgId}/waba-accounts/${account.id}/phone-numbers`, {
        phoneNumberId: randomDigits(15),
        displayPhoneNumber: '+1 555 010 0001',
      }),
      201,
    );
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  describe('verification handshake', () => {
    it('echoes the challenge as plain text for the right token, 403 otherwise', async () => {
      const ok = await api.get(
        `/api/v1/webhooks/whatsapp/${account.id}?hub.mode=subscribe&hub.verify_token=verify-inbound-1&hub.challenge=1158201444`,
      );
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('text/plain');
      expect(ok.body).toBe('1158201444');
      expect(
        (
          await api.get(
            `/api/v1/webhooks/whatsapp/${account.id}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await api.get(
            `/api/v1/webhooks/whatsapp/${account.id}?hub.mode=unsubscribe&hub.verify_token=verify-inbound-1&hub.challenge=1`,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await api.get(
            `/api/v1/webhooks/whatsapp/${randomUUID()}?hub.mode=subscribe&hub.verify_token=verify-inbound-1&hub.challenge=1`,
          )
        ).status,
      ).toBe(403);
    });
  });

  describe('the ack', () => {
    it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
      const other = await owner.createWabaAccount(orgId, { appSecret: 'the-right-secret-1' });
      const body = inbound({ type: 'text', text: { body: 'forged' } }).json;
      expect((await post(body, undefined, other.id)).status).toBe(401);
      expect((await post(body, signPayload(body, 'a-guessed-secret'), other.id)).status).toBe(401);
      expect((await post(body, signPayload(`${body} `, 'the-right-secret-1'), other.id)).status).toBe(401);
      expect(await eventsOf(other.id)).toEqual([]);
    });

    it('answers 400 for malformed JSON (signed), 404 for an unknown account, 413 over 3 MB', async () => {
      const malformed = '{"object":"whatsapp_business_account","entry":[';
      const reply = await post(malformed);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        error: { code: 'validation_failed', message: 'Request body is not valid JSON' },
        requestId: reply.headers.get('x-request-id'),
      });
      const notAnObject = await post('[1, 2]');
      expect(notAnObject.status).toBe(400);
      expect(notAnObject.body.error.message).toBe('A webhook body is a JSON object');
      expect((await post('{}', signPayload('{}', appSecret), randomUUID())).status).toBe(404);
      const huge = JSON.stringify({ object: 'x', entry: [], padding: 'x'.repeat(3 * 1024 * 1024) });
      const tooLarge = await post(huge);
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.error.code).toBe('payload_too_large');
    });

    it('stores the POSTs that arrive together in one INSERT, and refuses a malformed one among them alone', async () => {
      const other = await owner.createWabaAccount(orgId, { appSecret });
      /** POSTs the bodies while the first one's INSERT is held, so the others queue up behind it together. */
      const burst = async (bodies: string[]) => {
        const lock = api.dataSource.createQueryRunner();
        await lock.startTransaction();
        await lock.query('LOCK TABLE webhook_events IN SHARE MODE');
        const send = (body: string) => post(body, signPayload(body, appSecret), other.id);
        const first = send(bodies[0] ?? '');
        await waitingOnLock('INSERT INTO webhook_events%', 'the first INSERT to wait');
        const rest = bodies.slice(1).map(send);
        await sleep(500);
        await lock.commitTransaction();
        await lock.release();
        return (await Promise.all([first, ...rest])).map((reply) => reply.status);
      };
      const stored = (): Promise<{ payload: { entry: unknown[] }; tx: string }[]> =>
        api.dataSource.query('SELECT payload, xmin::text AS tx FROM webhook_events WHERE waba_account_id = $1', [
          other.id,
        ]);
      const text = (i: number) => inbound({ type: 'text', text: { body: `burst ${i}` } }).json;

      const together = Array.from({ length: 12 }, (_, i) => text(i));
      expect(await burst(together)).toEqual(together.map(() => 200));
      const first = await stored();
      expect(first.map((row) => row.payload)).toEqual(expect.arrayContaining(together.map((b) => JSON.parse(b))));
      expect(first).toHaveLength(12);
      // Fewer transactions than POSTs: two when the other eleven all arrive while the first is held.
      expect(new Set(first.map((row) => row.tx)).size).toBeLessThan(together.length);

      const withBad = Array.from({ length: 6 }, (_, i) =>
        i === 3 ? '{"object":"whatsapp_business_account","entry":[' : text(100 + i),
      );
      expect(await burst(withBad)).toEqual([200, 200, 200, 400, 200, 200]);
      expect(await stored()).toHaveLength(12 + 5);
    });
  });

  describe('processing', () => {
    it('turns a text message into a contact, an open conversation and a message', async () => {
      const payload = inbound({ type: 'text', text: { body: 'Olá! Tem em azul?' } }, '5511987650001', 'Maria Souza');
      const reply = await post(payload.json);
      expect(reply.status).toBe(200);
      const message = await eventually(
        async () => (await api.dataSource.query('SELECT * FROM messages WHERE wa_message_id = $1', [payload.id]))[0],
        15_000,
        'message',
      );
      expect(message).toMatchObject({
        org_id: orgId,
        direction: 'inbound',
        type: 'text',
        status: 'received',
        body: 'Olá! Tem em azul?',
      });
      const [contact] = await api.dataSource.query('SELECT * FROM contacts WHERE id = $1', [message.contact_id]);
      expect(contact).toMatchObject({
        org_id: orgId,
        phone: '+5511987650001',
        wa_id: '5511987650001',
        profile_name: 'Maria Souza',
        opt_in_status: 'unknown',
      });
      const [conversation] = await api.dataSource.query('SELECT * FROM conversations WHERE id = $1', [
        message.conversation_id,
      ]);
      expect(conversation).toMatchObject({
        status: 'open',
        unread_count: 1,
        last_message_preview: 'Olá! Tem em azul?',
        phone_number_id: number.id,
        contact_id: contact.id,
      });
      expect(conversation.last_inbound_at).toEqual(message.occurred_at);
    });

    it('stores one message when Meta delivers the same webhook three times', async () => {
      const body = inbound({ type: 'text', text: { body: 'only once' } }, '5511987650002').json;
      const before = (await eventsOf(account.id)).length;
      for (let i = 0; i < 3; i += 1) expect((await post(body)).status).toBe(200);
      await processed(before + 3);
      const rows = await api.dataSource.query(
        `SELECT m.id, c.unread_count FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.body = 'only once'`,
      );
      expect(rows).toEqual([{ id: expect.any(String), unread_count: 1 }]);
    });

    it('keeps one conversation per contact and number, and opens a new one after resolve', async () => {
      const from = '5511987650003';
      await post(inbound({ type: 'text', text: { body: 'first' } }, from).json);
      await post(inbound({ type: 'text', text: { body: 'second' } }, from).json);
      const open = await eventually(
        async () => {
          const rows = await api.dataSource.query(
            `SELECT c.id, c.unread_count, c.last_message_preview FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.wa_id = $1`,
            [from],
          );
          return rows.length === 1 && rows[0].unread_count === 2 && rows;
        },
        15_000,
        'two messages in one conversation',
      );
      expect(open[0].last_message_preview).toBe('second');

      await api.dataSource.query(`UPDATE conversations SET status = 'resolved' WHERE id = $1`, [open[0].id]);
      await post(inbound({ type: 'text', text: { body: 'third' } }, from).json);
      await eventually(
        async () =>
          (
            await api.dataSource.query(
              `SELECT 1 FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.wa_id = $1 AND c.status = 'open'`,
              [from],
            )
          ).length === 1,
        15_000,
        'a new open conversation',
      );
    });

    it('files a message in the conversation another transaction opened for the customer meanwhile', async () => {
      const from = '5511987650009';
      const [contact] = await api.dataSource.query(
        `INSERT INTO contacts (org_id, phone, wa_id) VALUES ($1, $2, $3) RETURNING id`,
        [orgId, `+${from}`, from],
      );
      // An agent's first send to this customer opens their conversation, and has not committed yet.
      const agent = api.dataSource.createQueryRunner();
      await agent.startTransaction();
      const [opened] = await agent.query(
        `INSERT INTO conversations (org_id, phone_number_id, contact_id, status) VALUES ($1, $2, $3, 'open') RETURNING id`,
        [orgId, number.id, contact.id],
      );
      const [{ xid }] = await agent.query('SELECT pg_current_xact_id()::xid::text AS xid');
      const payload = inbound({ type: 'text', text: { body: 'are you there?' } }, from);
      await post(payload.json);
      await eventually(
        async () =>
          (
            await api.dataSource.query(
              `SELECT 1 FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted AND transactionid::text = $1`,
              [xid],
            )
          ).length > 0,
        15_000,
        'the webhook waiting on the conversation being opened',
      );
      await agent.commitTransaction();
      await agent.release();

      const message = await eventually(
        async () => (await api.dataSource.query('SELECT * FROM messages WHERE wa_message_id = $1', [payload.id]))[0],
        15_000,
        'message',
      );
      expect(message.conversation_id).toBe(opened.id);
      const conversations = await api.dataSource.query(
        'SELECT id, unread_count FROM conversations WHERE contact_id = $1',
        [contact.id],
      );
      expect(conversations).toEqual([{ id: opened.id, unread_count: 1 }]);
    });

    it('applies statuses forward only, whatever order they arrive in, and keeps their history', async () => {
      const from = '5511987650004';
      const first = inbound({ type: 'text', text: { body: 'hello' } }, from);
      await post(first.json);
      const [message] = await eventually(
        async () => {
          const rows = await api.dataSource.query('SELECT * FROM messages WHERE wa_message_id = $1', [first.id]);
          return rows.length > 0 && rows;
        },
        15_000,
        'inbound',
      );
      const wamid = `wamid.out-${randomUUID()}`;
      await api.dataSource.query(
        `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, wa_message_id, body, payload, occurred_at)
         VALUES ($1, $2, $3, $4, 'outbound', 'text', 'sent', $5, 'reply', '{}', now())`,
        [orgId, message.conversation_id, message.contact_id, number.id, wamid],
      );
      const status = (s: string, at: number) =>
        messagesWebhook(account.wabaId, number.phoneNumberId, {
          statuses: [{ id: wamid, status: s, timestamp: String(at), recipient_id: from }],
        });
      const t = Math.floor(Date.now() / 1000);
      for (const [s, at] of [
        ['read', t + 3],
        ['delivered', t + 2],
        ['sent', t + 1],
        ['delivered', t + 2],
      ] as const)
        expect((await post(JSON.stringify(status(s, at)))).status).toBe(200);
      const done = await eventually(
        async () => {
          const [row] = await api.dataSource.query(
            'SELECT status, sent_at, delivered_at, read_at FROM messages WHERE wa_message_id = $1',
            [wamid],
          );
          return row?.sent_at && row?.delivered_at && row?.read_at && row;
        },
        15_000,
        'statuses applied',
      );
      expect(done).toEqual({
        status: 'read',
        sent_at: new Date((t + 1) * 1000),
        delivered_at: new Date((t + 2) * 1000),
        read_at: new Date((t + 3) * 1000),
      });
      const history = await api.dataSource.query(
        'SELECT status FROM message_status_events WHERE wa_message_id = $1 ORDER BY status',
        [wamid],
      );
      expect(history.map((h: { status: string }) => h.status)).toEqual(['delivered', 'read', 'sent']);
    });

    it('links replies to the quoted message and attaches reactions to theirs', async () => {
      const from = '5511987650005';
      const original = inbound({ type: 'text', text: { body: 'pick one' } }, from);
      const originalId = original.id;
      await post(original.json);
      await eventually(
        async () =>
          (await api.dataSource.query('SELECT 1 FROM messages WHERE wa_message_id = $1', [originalId])).length === 1,
        15_000,
        'original',
      );
      const reply = inbound(
        { type: 'text', text: { body: 'this one' }, context: { from: '15550100001', id: originalId } },
        from,
      );
      await post(reply.json);
      await post(inbound({ type: 'reaction', reaction: { message_id: originalId, emoji: '👍' } }, from).json);
      const [linked] = await eventually(
        async () => {
          const rows = await api.dataSource.query(
            'SELECT context_message_id, context_wa_message_id FROM messages WHERE wa_message_id = $1',
            [reply.id],
          );
          return rows.length === 1 && rows;
        },
        15_000,
        'reply',
      );
      const [target] = await api.dataSource.query('SELECT id, reactions FROM messages WHERE wa_message_id = $1', [
        originalId,
      ]);
      expect(linked).toEqual({ context_message_id: target.id, context_wa_message_id: originalId });
      await eventually(
        async () => {
          const [row] = await api.dataSource.query('SELECT reactions FROM messages WHERE id = $1', [target.id]);
          return row.reactions.length === 1 && row.reactions[0].emoji === '👍';
        },
        15_000,
        'reaction',
      );
    });

    it('changes nothing when a message is applied again after its conversation was resolved', async () => {
      const from = '5511987650006';
      const message = inbound({ type: 'text', text: { body: 'resolve me' } }, from);
      await post(message.json);
      const [row] = await eventually(
        async () => {
          const rows = await api.dataSource.query('SELECT conversation_id FROM messages WHERE wa_message_id = $1', [
            message.id,
          ]);
          return rows.length === 1 && rows;
        },
        15_000,
        'message',
      );
      await api.dataSource.query(`UPDATE conversations SET status = 'resolved' WHERE id = $1`, [row.conversation_id]);
      const before = (await eventsOf(account.id)).length;
      await post(message.json);
      await processed(before + 1);
      const conversations = await api.dataSource.query(
        'SELECT c.status FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.wa_id = $1',
        [from],
      );
      expect(conversations).toEqual([{ status: 'resolved' }]);
    });

    it('keeps the profile name of the newest message when an older webhook arrives late', async () => {
      const from = '5511987650007';
      const now = Math.floor(Date.now() / 1000);
      const newer = inbound({ type: 'text', text: { body: 'new' }, timestamp: String(now) }, from, 'Maria Souza-Lima');
      const older = inbound({ type: 'text', text: { body: 'old' }, timestamp: String(now - 600) }, from, 'Maria S.');
      await post(newer.json);
      await eventually(
        async () =>
          (await api.dataSource.query('SELECT 1 FROM messages WHERE wa_message_id = $1', [newer.id])).length === 1,
        15_000,
        'newer',
      );
      await post(older.json);
      await eventually(
        async () =>
          (await api.dataSource.query('SELECT 1 FROM messages WHERE wa_message_id = $1', [older.id])).length === 1,
        15_000,
        'older',
      );
      const [contact] = await api.dataSource.query(
        'SELECT profile_name FROM contacts WHERE wa_id = $1 AND org_id = $2',
        [from, orgId],
      );
      expect(contact.profile_name).toBe('Maria Souza-Lima');
    });

    it('sweeps up an event whose job id is held by a job that failed for good', async () => {
      const message = inbound({ type: 'text', text: { body: 'stuck behind an old job' } }, '5511987650008');
      const [event] = await api.dataSource.query(
        `INSERT INTO webhook_events (org_id, waba_account_id, payload, received_at) VALUES ($1, $2, $3, now()) RETURNING id`,
        [orgId, account.id, message.json],
      );
      // A job under the event's id that failed for good without touching the event, as after a worker crash.
      const queue = worker.get<Queue>(getQueueToken(QueueName.WebhookEvents));
      const job = await queue.add(
        'process',
        { eventId: 'crashed', orgId },
        { jobId: `event-${event.id}`, attempts: 1 },
      );
      await expect(job.finished()).rejects.toThrow();
      await eventually(
        async () =>
          (await api.dataSource.query('SELECT 1 FROM messages WHERE wa_message_id = $1', [message.id])).length === 1,
        15_000,
        'swept',
      );
    });

    it('marks an event that is not a webhook dead, lists it, and replays it on request', async () => {
      const body = JSON.stringify({ hello: 'world' });
      expect((await post(body)).status).toBe(200);
      const dead = await eventually(
        async () => {
          const page = await owner.get(`/api/v1/orgs/${orgId}/webhook-events?status=dead`);
          return page.body.data[0];
        },
        15_000,
        'a dead event',
      );
      expect(dead).toMatchObject({
        status: 'dead',
        wabaAccountId: account.id,
        attempts: 1,
        lastError: expect.stringContaining('not a WhatsApp webhook'),
        payload: { hello: 'world' },
      });
      const replayed = await owner.post(`/api/v1/orgs/${orgId}/webhook-events/${dead.id}/replay`);
      expect(replayed.status).toBe(202);
      expect(replayed.body.status).toBe('pending');
      await eventually(
        async () =>
          (await eventsOf(account.id)).find(
            (e: { id: string; attempts: number; status: string }) =>
              e.id === dead.id && e.attempts === 2 && e.status === 'dead',
          ),
        15_000,
        'replayed',
      );
      const agent = await owner.addTeammate(orgId, 'agent');
      expect((await agent.get(`/api/v1/orgs/${orgId}/webhook-events`)).status).toBe(403);
    });

    describe('under load', () => {
      const from = '5511900000077';
      let contact: { conversation_id: string; contact_id: string };
      /** Messages we sent, with Meta's ids. */
      const sent = async (count: number) => {
        const rows: { id: string; wa_message_id: string }[] = await api.dataSource.query(
          `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, wa_message_id, body, payload, occurred_at)
           SELECT $1, $2, $3, $4, 'outbound', 'text', 'sent', 'wamid.out-' || gen_random_uuid(), 'hi', '{}', now()
           FROM generate_series(1, $5) RETURNING id, wa_message_id`,
          [orgId, contact.conversation_id, contact.contact_id, number.id, count],
        );
        return rows;
      };
      /**
       * Applies batches of statuses as the worker does, in one transaction, and counts the updates of
       * messages they made: all of them, and those made in place (HOT). The counts also hold the connection's
       * earlier transactions not yet flushed to the statistics, hence the difference.
       */
      const statusUpdates = async (...batches: StatusEvent[][]) => {
        const phoneNumber = await api.dataSource.getRepository(PhoneNumber).findOneByOrFail({ id: number.id });
        const inboundService = worker.get(InboundService, { strict: false });
        return api.dataSource.transaction(async (manager) => {
          const count = async (): Promise<{ updated: number; hot: number }> =>
            (
              await manager.query(
                `SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables WHERE relname = 'messages'`,
              )
            )[0] ?? { updated: 0, hot: 0 };
          const before = await count();
          for (const batch of batches) await inboundService.applyStatuses(manager, phoneNumber, batch);
          const after = await count();
          return { updated: after.updated - before.updated, hot: after.hot - before.hot };
        });
      };
      const delivered = (wamid: string) =>
        JSON.stringify(
          messagesWebhook(account.wabaId, number.phoneNumberId, {
            statuses: [
              { id: wamid, status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: from },
            ],
          }),
        );
      /**
       * Posts the bodies while a transaction holds the first one's message, so its batch waits and
       * the others reach the worker meanwhile; then lets go and waits until every event is applied or dead.
       */
      const whileHeld = async (heldMessageId: string, bodies: string[]) => {
        const queue = worker.get<Queue>(getQueueToken(QueueName.WebhookEvents));
        const holder = api.dataSource.createQueryRunner();
        await holder.connect();
        await holder.startTransaction();
        try {
          await holder.query('SELECT id FROM messages WHERE id = $1 FOR UPDATE', [heldMessageId]);
          const ids: string[] = [];
          for (const body of bodies) {
            expect((await post(body)).status).toBe(200);
            const [row] = await api.dataSource.query(
              'SELECT id FROM webhook_events WHERE waba_account_id = $1 ORDER BY id DESC LIMIT 1',
              [account.id],
            );
            ids.push(row.id);
          }
          await eventually(async () => (await queue.getActiveCount()) >= bodies.length, 15_000, 'all jobs taken');
          await holder.commitTransaction();
          return await eventually(
            async () => {
              const rows = await api.dataSource.query(
                'SELECT status, attempts, processed_at FROM webhook_events WHERE id = ANY($1::bigint[]) ORDER BY id',
                [ids],
              );
              return rows.every((r: { status: string }) => r.status === 'processed' || r.status === 'dead') && rows;
            },
            15_000,
            'the burst applied',
          );
        } finally {
          if (holder.isTransactionActive) await holder.rollbackTransaction();
          await holder.release();
        }
      };
      const statusesOf = async (messages: { id: string }[]) =>
        (
          await api.dataSource.query('SELECT id, status FROM messages WHERE id = ANY($1::uuid[])', [
            messages.map((m) => m.id),
          ])
        )
          .map((m: { status: string }) => m.status)
          .sort();

      beforeAll(async () => {
        const first = inbound({ type: 'text', text: { body: 'hello' } }, from);
        expect((await post(first.json)).status).toBe(200);
        [contact] = await eventually(
          async () => {
            const rows = await api.dataSource.query(
              'SELECT conversation_id, contact_id FROM messages WHERE wa_message_id = $1',
              [first.id],
            );
            return rows.length > 0 && rows;
          },
          15_000,
          'the first message',
        );
      });

      it('applies customer messages that wait for the worker together, each at its own time, in the order they came', async () => {
        const [held] = await sent(1);
        const said = ['one', 'two', 'three', 'four', 'five', 'six'];
        const rows = await whileHeld(held.id, [
          delivered(held.wa_message_id),
          ...said.map((body) => inbound({ type: 'text', text: { body } }, from).json),
        ]);
        expect(rows.map((r: { status: string }) => r.status)).toEqual(['processed', ...said.map(() => 'processed')]);
        const stored: { body: string; created_at: Date; tx: string }[] = await api.dataSource.query(
          `SELECT body, created_at, xmin::text AS tx FROM messages
           WHERE conversation_id = $1 AND body = ANY($2) ORDER BY created_at, id`,
          [contact.conversation_id, said],
        );
        // The history's order (created_at, id) is the order they came in, with no two at one time...
        expect(stored.map((m) => m.body)).toEqual(said);
        expect(new Set(stored.map((m) => m.created_at.getTime())).size).toBe(said.length);
        // ...though the six that queued behind the held status went in one transaction.
        expect(new Set(stored.map((m) => m.tx)).size).toBe(1);
      });

      it('stores the customer messages of many senders that wait together in one statement a round, each as if alone', async () => {
        const [held] = await sent(1);
        const [ana, bruno] = ['5511900000101', '5511900000102'];
        const anaFirst = inbound({ type: 'text', text: { body: 'ana 1' } }, ana, 'Ana');
        const brunoOnly = inbound({ type: 'text', text: { body: 'bruno 1' } }, bruno, 'Bruno');
        const known = inbound({ type: 'text', text: { body: 'known 1' } }, from);
        const anaSecond = inbound({ type: 'text', text: { body: 'ana 2' } }, ana, 'Ana');
        const [{ unread_count: unreadBefore }] = await api.dataSource.query(
          'SELECT unread_count FROM conversations WHERE id = $1',
          [contact.conversation_id],
        );
        const applyMessages = jest.spyOn(worker.get(InboundService, { strict: false }), 'applyMessages');
        try {
          const rows = await whileHeld(held.id, [
            delivered(held.wa_message_id),
            anaFirst.json,
            brunoOnly.json,
            known.json,
            anaSecond.json,
            brunoOnly.json, // Meta delivers it again
          ]);
          expect(rows.map((r: { status: string }) => r.status)).toEqual(Array(6).fill('processed'));
          // Round one: the first message of each sender; round two: Ana's second, and Bruno's again.
          expect(applyMessages.mock.calls.map(([, , events]) => events.map((e) => e.body))).toEqual([
            ['ana 1', 'bruno 1', 'known 1'],
            ['ana 2', 'bruno 1'],
          ]);
        } finally {
          applyMessages.mockRestore();
        }
        const conversations: { phone: string; unread_count: number; bodies: string[] }[] = await api.dataSource.query(
          `SELECT k.phone, v.unread_count, array_agg(m.body ORDER BY m.created_at, m.id) AS bodies
           FROM conversations v JOIN contacts k ON k.id = v.contact_id JOIN messages m ON m.conversation_id = v.id
           WHERE k.phone = ANY($1) AND m.direction = 'inbound' AND m.body = ANY($2)
           GROUP BY k.phone, v.unread_count ORDER BY k.phone`,
          [
            [`+${ana}`, `+${bruno}`, `+${from}`],
            ['ana 1', 'ana 2', 'bruno 1', 'known 1'],
          ],
        );
        expect(conversations).toEqual([
          { phone: `+${from}`, unread_count: unreadBefore + 1, bodies: ['known 1'] },
          { phone: `+${ana}`, unread_count: 2, bodies: ['ana 1', 'ana 2'] },
          { phone: `+${bruno}`, unread_count: 1, bodies: ['bruno 1'] },
        ]);
        const contacts = await api.dataSource.query(
          'SELECT phone, profile_name FROM contacts WHERE phone = ANY($1) ORDER BY phone',
          [[`+${ana}`, `+${bruno}`]],
        );
        expect(contacts).toEqual([
          { phone: `+${ana}`, profile_name: 'Ana' },
          { phone: `+${bruno}`, profile_name: 'Bruno' },
        ]);
      });

      it('applies many statuses of one webhook together, each message forward only, in their order', async () => {
        const [first, second] = await sent(2);
        const t = Math.floor(Date.now() / 1000);
        const status = (wamid: string, s: string, at: number) => ({
          id: wamid,
          status: s,
          timestamp: String(at),
          recipient_id: from,
        });
        const body = JSON.stringify(
          messagesWebhook(account.wabaId, number.phoneNumberId, {
            statuses: [
              status(first.wa_message_id, 'read', t + 3),
              status(second.wa_message_id, 'sent', t + 1),
              status(first.wa_message_id, 'delivered', t + 2),
              status(second.wa_message_id, 'delivered', t + 2),
              status(first.wa_message_id, 'sent', t + 1),
              status(second.wa_message_id, 'sent', t + 1),
            ],
          }),
        );
        expect((await post(body)).status).toBe(200);
        const rows = await eventually(
          async () => {
            const found = await api.dataSource.query(
              'SELECT id, status, sent_at, delivered_at, read_at FROM messages WHERE id = ANY($1::uuid[])',
              [[first.id, second.id]],
            );
            return found.every((m: { delivered_at: Date | null }) => m.delivered_at) && found;
          },
          15_000,
          'statuses applied',
        );
        const byId = new Map(rows.map((m: { id: string }) => [m.id, m]));
        expect(byId.get(first.id)).toMatchObject({
          status: 'read',
          sent_at: new Date((t + 1) * 1000),
          delivered_at: new Date((t + 2) * 1000),
          read_at: new Date((t + 3) * 1000),
        });
        expect(byId.get(second.id)).toMatchObject({ status: 'delivered', read_at: null });
        const history = await api.dataSource.query(
          'SELECT count(*)::int AS n FROM message_status_events WHERE wa_message_id = ANY($1)',
          [[first.wa_message_id, second.wa_message_id]],
        );
        expect(history[0].n).toBe(5); // the repeated `sent` once
      });

      it('completes sends whose record is not made yet by the id we gave Meta, and the record applies the rest', async () => {
        // Four sends Meta took while our record of them is not made (the calls' answers are on their way).
        const claimed: { id: string }[] = await api.dataSource.query(
          `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, sending_at, body, payload, occurred_at)
           SELECT $1, $2, $3, $4, 'outbound', 'text', 'queued', now(), 'hi', '{}', now()
           FROM generate_series(1, 4) RETURNING id`,
          [orgId, contact.conversation_id, contact.contact_id, number.id],
        );
        const wamids = claimed.map(() => `wamid.early-${randomUUID()}`);
        const t = Math.floor(Date.now() / 1000);
        const status = (i: number, s: string, at: number, ours = true) => ({
          id: wamids[i],
          status: s,
          timestamp: String(at),
          recipient_id: from,
          ...(ours && { biz_opaque_callback_data: claimed[i]?.id }),
        });
        // Three name our message; the last does not, so it waits in the history for our record.
        const body = messagesWebhook(account.wabaId, number.phoneNumberId, {
          statuses: [
            status(0, 'sent', t),
            status(1, 'delivered', t + 1),
            status(0, 'delivered', t + 1),
            status(2, 'sent', t),
            status(1, 'sent', t),
            status(3, 'delivered', t + 1, false),
          ],
        });
        expect((await post(JSON.stringify(body))).status).toBe(200);
        const rowsOf = () =>
          api.dataSource.query(
            'SELECT id, wa_message_id, status, sending_at, sent_at, delivered_at FROM messages WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)',
            [claimed.map((m) => m.id)],
          );
        const rows = await eventually(
          async () => {
            const found = await rowsOf();
            return found[2].wa_message_id && found;
          },
          15_000,
          'the statuses matched to our sends',
        );
        const at = (seconds: number) => new Date(seconds * 1000);
        const matched = (i: number, status: string, deliveredAt: Date | null) => ({
          id: claimed[i]?.id,
          wa_message_id: wamids[i],
          status,
          sending_at: null,
          sent_at: at(t),
          delivered_at: deliveredAt,
        });
        expect(rows.slice(0, 3)).toEqual([
          matched(0, 'delivered', at(t + 1)),
          matched(1, 'delivered', at(t + 1)), // sent at t, though its delivery came first
          matched(2, 'sent', null),
        ]);
        expect(rows[3]).toMatchObject({ wa_message_id: null, status: 'queued' });
        // The record of the sends comes: what Meta said of the fourth is applied then.
        const phoneNumber = await api.dataSource.getRepository(PhoneNumber).findOneByOrFail({ id: number.id });
        await api.dataSource.transaction(async (manager) => {
          await manager.query(
            `UPDATE messages SET wa_message_id = $2, sending_at = NULL, status = 'sent' WHERE id = $1`,
            [claimed[3]?.id, wamids[3]],
          );
          await worker.get(InboundService, { strict: false }).applyRecordedStatuses(manager, phoneNumber, wamids);
        });
        expect((await rowsOf())[3]).toMatchObject({ status: 'delivered', delivered_at: at(t + 1) });
      });

      it('moves a message through its statuses in place, adding no index entry, and titles a failure without one', async () => {
        const [message, failing] = await sent(2);
        const t = Math.floor(Date.now() / 1000);
        const events = parseWebhook(
          messagesWebhook(account.wabaId, number.phoneNumberId, {
            statuses: [
              { id: message.wa_message_id, status: 'delivered', timestamp: String(t), recipient_id: from },
              { id: failing.wa_message_id, status: 'failed', timestamp: String(t), recipient_id: from },
            ],
          }),
        ).filter((event) => event.kind === 'status');
        const read = { ...events[0], status: 'read' as const };
        // Heap-only (HOT) updates wrote no entry into any index.
        const counts = await statusUpdates([events[0]], [read, events[1]]);
        expect(counts).toEqual({ updated: 3, hot: 2 }); // the failure adds its error title to an index
        const rows = await api.dataSource.query(
          'SELECT id, status, error_title FROM messages WHERE id = ANY($1::uuid[]) ORDER BY status::text',
          [[message.id, failing.id]],
        );
        expect(rows).toEqual([
          { id: failing.id, status: 'failed', error_title: 'WhatsApp gave no reason' },
          { id: message.id, status: 'read', error_title: null },
        ]);
      });

      it("updates in place a burst of statuses for messages stored together, as a campaign's are", async () => {
        // Rows inserted together share pages: every one of them takes its `delivered` in one transaction.
        const messages = await sent(120);
        const t = String(Math.floor(Date.now() / 1000));
        const events = parseWebhook(
          messagesWebhook(account.wabaId, number.phoneNumberId, {
            statuses: messages.map((m) => ({
              id: m.wa_message_id,
              status: 'delivered',
              timestamp: t,
              recipient_id: from,
            })),
          }),
        ).filter((event) => event.kind === 'status');
        const counts = await statusUpdates(events);
        expect(counts.updated).toBe(120);
        // A page a fifth free took about a quarter of them; half free takes them all, but for the odd
        // row whose new version lands on the one page the burst shares with the rows inserted before it.
        expect(counts.hot).toBeGreaterThanOrEqual(115);
      });

      it('applies the status webhooks that wait for the worker together', async () => {
        const messages = await sent(10);
        const rows = await whileHeld(
          messages[0].id,
          messages.map((m) => delivered(m.wa_message_id)),
        );
        expect(rows.map((r: { status: string; attempts: number }) => [r.status, r.attempts])).toEqual(
          messages.map(() => ['processed', 1]),
        );
        expect(await statusesOf(messages)).toEqual(messages.map(() => 'delivered'));
        // The first went alone and waited; the nine that queued behind it went in one transaction.
        expect(new Set(rows.map((r: { processed_at: Date }) => r.processed_at.getTime())).size).toBe(2);
      });

      it('lets an event that fails in a batch fail alone, and applies the rest', async () => {
        const messages = await sent(3);
        const rows = await whileHeld(messages[0].id, [
          delivered(messages[0].wa_message_id),
          delivered(messages[1].wa_message_id),
          JSON.stringify({ hello: 'in a batch' }),
          delivered(messages[2].wa_message_id),
        ]);
        expect(rows.map((r: { status: string; attempts: number }) => [r.status, r.attempts])).toEqual([
          ['processed', 1],
          ['processed', 1],
          ['dead', 1],
          ['processed', 1],
        ]);
        expect(await statusesOf(messages)).toEqual(['delivered', 'delivered', 'delivered']);
      });
    });
  });

  describe('with Redis unreachable', () => {
    let offline: TestApi;
    const realRedis = process.env['REDIS_URL'];

    beforeAll(async () => {
      process.env['REDIS_URL'] = 'redis://127.0.0.1:6390';
      offline = await TestApi.start();
      if (realRedis === undefined) delete process.env['REDIS_URL'];
      else process.env['REDIS_URL'] = realRedis;
    });
    afterAll(() => offline.close());

    it('still answers 200 at once, and the sweeper gets the event processed', async () => {
      const body = inbound({ type: 'text', text: { body: 'while redis was away' } }, '5511987650009').json;
      const started = Date.now();
      const reply = await offline.request('POST', `/api/v1/webhooks/whatsapp/${account.id}`, {
        rawBody: body,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(body, appSecret) },
      });
      expect(reply.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      await eventually(
        async () =>
          (await api.dataSource.query(`SELECT 1 FROM messages WHERE body = 'while redis was away'`)).length === 1,
        20_000,
        'swept and processed',
      );
    });
  });
});
