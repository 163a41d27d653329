/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely */
import type { INestApplicationContext } from '@nestjs/common';
import { PresenceService } from '@parley/api/realtime';
import type { RunningSandbox } from '@parley/whatsapp/sandbox';
import {
  eventually,
  expectStatus,
  randomDigits,
  SandboxAccount,
  sandboxControl,
  startTestSandbox,
  startWorker,
  TestApi,
  TestSession,
} from './harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (body: string) => ({ type: 'text', text: { body } });

describe('automation', () => {
  let sandbox: RunningSandbox;
  let api: TestApi;
  let worker: INestApplicationContext;
  let owner: TestSession;
  let agent: TestSession;
  let viewer: TestSession;
  let outsider: TestSession;
  let orgId: string;
  let otherOrgId: string;
  let wa: SandboxAccount;

  const path = (suffix: string, org = orgId) => `/api/v1/orgs/${org}${suffix}`;
  const control = (method: string, route: string, body?: unknown) => sandboxControl(sandbox)(method, route, body);
  const put = (as: TestSession, route: string, body: unknown) =>
    api.request('PUT', route, { body, token: as.accessToken });
  const newCustomer = () => `1415${randomDigits(7)}`;

  /** The customer writes (as on their phone): the sandbox delivers Meta's signed webhook. */
  const customerSends = (from: string, message: Record<string, unknown>) =>
    control('POST', '/inbound', { phoneNumberId: wa.number.phoneNumberId, from, name: 'Ana Lima', ...message });
  const customerWrites = (from: string, body: string) => customerSends(from, text(body));
  /** Taps a button of the last buttons message the business sent. */
  const customerTaps = (from: string, id: string, title: string) =>
    customerSends(from, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });

  /** What the business sent to the customer, as Meta (the sandbox) received it, oldest first. */
  const atMeta = async (from: string): Promise<any[]> =>
    (await control('GET', `/messages?to=${encodeURIComponent(from)}&direction=outbound`)).data;
  const bodies = async (from: string): Promise<string[]> =>
    (await atMeta(from)).map((m) => m.payload?.text?.body ?? m.payload?.interactive?.body?.text ?? m.body);
  const sentCount = (from: string, count: number, what: string) =>
    eventually(async () => (await atMeta(from)).length >= count && atMeta(from), 15_000, what);
  const conversationOf = async (from: string) => {
    const [row] = await api.dataSource.query(
      `SELECT v.id, v.bot_active, v.assignee_id, v.status FROM conversations v JOIN contacts c ON c.id = v.contact_id
       WHERE c.org_id = $1 AND c.wa_id = $2 ORDER BY v.created_at DESC LIMIT 1`,
      [orgId, from],
    );
    return row as { id: string; bot_active: boolean; assignee_id: string | null; status: string } | undefined;
  };
  const contactIdOf = (from: string): Promise<string> =>
    eventually(async () => {
      const [row] = await api.dataSource.query('SELECT id FROM contacts WHERE org_id = $1 AND wa_id = $2', [
        orgId,
        from,
      ]);
      return row?.id as string | undefined;
    });
  const createRule = async (body: Record<string, unknown>) =>
    expectStatus(await owner.post(path('/automation-rules'), body), 201);
  const runsOf = async (ruleId: string): Promise<any[]> =>
    expectStatus(await viewer.get(path(`/automation-runs?ruleId=${ruleId}`)), 200).data;
  const disableAll = async () => {
    for (const rule of expectStatus(await owner.get(path('/automation-rules')), 200))
      expectStatus(await owner.patch(path(`/automation-rules/${rule.id}`), { enabled: false }), 200);
  };

  beforeAll(async () => {
    process.env['AUTOMATION_SCAN_INTERVAL_MS'] = '300';
    sandbox = await startTestSandbox();
    api = await TestApi.start();
    worker = await startWorker();
    owner = await TestSession.signup(api, 'owner');
    orgId = (await owner.createOrg('Automation')).id;
    agent = await owner.addTeammate(orgId, 'agent');
    viewer = await owner.addTeammate(orgId, 'viewer');
    outsider = await TestSession.signup(api, 'outsider');
    otherOrgId = (await outsider.createOrg('Other Org')).id;
    wa = await owner.connectSandbox(orgId, sandbox);
    await control('PUT', '/scenario', { statusDelaysMs: { sent: 20, delivered: 40, read: 60 } });
  });
  afterEach(disableAll);
  afterAll(async () => {
    delete process.env['AUTOMATION_SCAN_INTERVAL_MS'];
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  describe('rules API', () => {
    it('creates, reads, edits, reorders and deletes rules; agents and viewers only read', async () => {
      const first = await createRule({
        name: 'Prices',
        trigger: { type: 'message', match: 'keyword', keywords: ['price'] },
        actions: [{ type: 'reply', message: text('From 10 EUR') }],
      });
      expect(first).toMatchObject({ name: 'Prices', enabled: true, position: 0, stopAfterMatch: true, conditions: [] });
      const second = await createRule({
        name: 'Tag all',
        trigger: { type: 'message' },
        actions: [{ type: 'add_tags', tags: ['wrote'] }],
      });
      expect(second.position).toBe(1);

      expect(
        (await agent.post(path('/automation-rules'), { name: 'x', trigger: { type: 'message' }, actions: [] })).status,
      ).toBe(403);
      expect((await viewer.patch(path(`/automation-rules/${first.id}`), { enabled: false })).status).toBe(403);

      const reordered = expectStatus(
        await owner.post(path('/automation-rules/reorder'), { ids: [second.id, first.id] }),
        200,
      );
      expect(reordered.map((r: any) => [r.name, r.position])).toEqual([
        ['Tag all', 0],
        ['Prices', 1],
      ]);
      const partial = await owner.post(path('/automation-rules/reorder'), { ids: [first.id] });
      expect(partial.status).toBe(400);
      expect(partial.body.error.details).toEqual([
        { field: 'ids', message: "ids must list every rule's id exactly once" },
      ]);

      const edited = expectStatus(
        await owner.patch(path(`/automation-rules/${first.id}`), { name: 'Pricing', cooldownSeconds: 60 }),
        200,
      );
      expect(edited).toMatchObject({ name: 'Pricing', cooldownSeconds: 60, trigger: first.trigger });
      expect(expectStatus(await viewer.get(path(`/automation-rules/${first.id}`)), 200).name).toBe('Pricing');
      // Left out is unchanged; null for what a rule must have is refused, naming the field.
      const cleared = await owner.patch(path(`/automation-rules/${first.id}`), { name: null, trigger: null });
      expect(cleared.status).toBe(400);
      expect(cleared.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'trigger']);

      expect((await owner.delete(path(`/automation-rules/${second.id}`))).status).toBe(204);
      expect((await owner.get(path(`/automation-rules/${second.id}`))).status).toBe(404);
      const [audit] = await api.dataSource.query(
        "SELECT action FROM audit_logs WHERE org_id = $1 AND target_id = $2 AND action = 'automation_rule.deleted'",
        [orgId, second.id],
      );
      expect(audit).toBeDefined();
    });

    it('refuses a broken rule with a 422 naming every field at fault, and stores nothing', async () => {
      const before = expectStatus(await owner.get(path('/automation-rules')), 200).length;
      const reply = await owner.post(path('/automation-rules'), {
        name: 'Broken',
        trigger: { type: 'message', match: 'regex', pattern: '(unclosed' },
        conditions: [{ type: 'time_window', from: '9am', to: '18:00' }],
        actions: [
          {
            type: 'reply',
            message: {
              type: 'interactive',
              interactive: {
                type: 'button',
                body: { text: 'Pick' },
                action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
              },
            },
          },
          { type: 'assign', mode: 'user', userIds: [outsider.user.id] },
          { type: 'launch_rocket' },
        ],
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('automation_invalid');
      expect(reply.body.error.details.map((d: any) => d.field)).toEqual([
        'trigger.pattern',
        'conditions[0].from',
        'actions[0].message.interactive.action.buttons[0].reply.title',
        'actions[2].type',
      ]);
      const notAMember = await owner.post(path('/automation-rules'), {
        name: 'Assign outsider',
        trigger: { type: 'message' },
        actions: [{ type: 'assign', mode: 'user', userIds: [outsider.user.id] }],
      });
      expect(notAMember.status).toBe(422);
      expect(notAMember.body.error.details[0].field).toBe('actions[0].userIds');
      // A rule calls one of the org's own (signed) webhook subscriptions, never another org's.
      const theirs = expectStatus(
        await outsider.post(`/api/v1/orgs/${otherOrgId}/webhook-subscriptions`, {
          url: 'https://93.184.215.14/hooks', // a public address: no DNS needed
          events: ['message.received'],
        }),
        201,
      );
      const foreign = await owner.post(path('/automation-rules'), {
        name: 'Tell their CRM',
        trigger: { type: 'message' },
        actions: [{ type: 'call_webhook', subscriptionId: theirs.id }],
      });
      expect(foreign.status).toBe(422);
      expect(foreign.body.error.details[0]).toMatchObject({
        field: 'actions[0].subscriptionId',
        message: expect.stringContaining('not a webhook subscription of this organization'),
      });
      expect(expectStatus(await owner.get(path('/automation-rules')), 200)).toHaveLength(before);
    });

    it("never shows or changes another org's rules", async () => {
      const rule = await createRule({
        name: 'Mine',
        trigger: { type: 'message' },
        actions: [{ type: 'add_tags', tags: ['x'] }],
      });
      expect((await outsider.get(path(`/automation-rules/${rule.id}`, otherOrgId))).status).toBe(404);
      expect((await outsider.patch(path(`/automation-rules/${rule.id}`, otherOrgId), { enabled: false })).status).toBe(
        404,
      );
      expect((await outsider.get(path('/automation-rules'))).status).toBe(404);
      expect(expectStatus(await outsider.get(path('/automation-rules', otherOrgId)), 200)).toEqual([]);
    });
  });

  describe('rules at work', () => {
    it('answers a keyword whatever the case and accents, once, and logs what it did', async () => {
      const rule = await createRule({
        name: 'Prices',
        trigger: { type: 'message', match: 'keyword', keywords: ['preco', 'how much'] },
        // The reply holds the keyword itself: automation never reacts to its own messages.
        actions: [
          { type: 'reply', message: text('Our preço starts at 10 EUR') },
          { type: 'add_tags', tags: ['pricing'] },
        ],
      });
      const customer = newCustomer();
      await customerWrites(customer, 'Qual é o PREÇO?');
      await sentCount(customer, 1, 'the keyword reply');
      const [run] = await eventually(async () => {
        const runs = await runsOf(rule.id);
        return runs.length > 0 && runs;
      });
      expect(run).toMatchObject({
        ruleName: 'Prices',
        trigger: 'message',
        outcome: 'fired',
        results: [
          { type: 'reply', ok: true, detail: 'replied', messageId: expect.any(String) },
          { type: 'add_tags', ok: true, detail: 'tags: pricing' },
        ],
      });
      await customerWrites(customer, 'ok thanks'); // no keyword: nothing
      await sleep(700);
      expect(await bodies(customer)).toEqual(['Our preço starts at 10 EUR']);
      expect(await runsOf(rule.id)).toHaveLength(1);

      // Meta redelivering the event (or an admin replaying it) fires nothing again.
      const [event] = await api.dataSource.query(
        `SELECT id FROM webhook_events WHERE org_id = $1 AND payload::text LIKE '%PREÇO%' ORDER BY id DESC LIMIT 1`,
        [orgId],
      );
      expectStatus(await owner.post(path(`/webhook-events/${event.id}/replay`)), 202);
      await sleep(700);
      expect(await bodies(customer)).toEqual(['Our preço starts at 10 EUR']);
      expect(await runsOf(rule.id)).toHaveLength(1);
    });

    it('follows an edited rule from the next message on: every process drops its cached rules at once', async () => {
      const rule = await createRule({
        name: 'Ping',
        trigger: { type: 'message', match: 'keyword', keywords: ['ping'] },
        actions: [{ type: 'reply', message: text('pong') }],
      });
      const customer = newCustomer();
      await customerWrites(customer, 'ping');
      await sentCount(customer, 1, 'the first answer'); // the worker now holds the org's rules in memory
      expectStatus(
        await owner.patch(path(`/automation-rules/${rule.id}`), {
          actions: [{ type: 'reply', message: text('pong, edited') }],
        }),
        200,
      );
      await customerWrites(customer, 'ping');
      await sentCount(customer, 2, 'the answer after the edit');
      expectStatus(await owner.patch(path(`/automation-rules/${rule.id}`), { enabled: false }), 200);
      await customerWrites(customer, 'ping');
      await sleep(700);
      expect(await bodies(customer)).toEqual(['pong', 'pong, edited']);
      expectStatus(await owner.delete(path(`/automation-rules/${rule.id}`)), 204);
    });

    it('holds a rule back for a contact within its cooldown, and logs that it did', async () => {
      const rule = await createRule({
        name: 'Hello',
        trigger: { type: 'message', match: 'regex', pattern: '^(hi|hello)\\b' },
        actions: [{ type: 'reply', message: text('Hello there!') }],
        cooldownSeconds: 3600,
      });
      const customer = newCustomer();
      await customerWrites(customer, 'Hello!');
      await sentCount(customer, 1, 'the first greeting');
      await customerWrites(customer, 'hi again');
      const runs = await eventually(async () => {
        const all = await runsOf(rule.id);
        return all.length === 2 && all;
      });
      expect(runs.map((r: any) => r.outcome)).toEqual(['cooldown', 'fired']);
      expect(await bodies(customer)).toEqual(['Hello there!']);
    });

    it('tries rules in order, stops after a match unless told not to, and checks conditions', async () => {
      const vip = await createRule({
        name: 'VIP',
        trigger: { type: 'message' },
        conditions: [{ type: 'tag', op: 'has', tag: 'vip' }],
        actions: [{ type: 'reply', message: text('Welcome back, VIP') }],
      });
      const note = await createRule({
        name: 'Note and go on',
        trigger: { type: 'message' },
        actions: [
          { type: 'add_note', text: 'Wrote in' },
          { type: 'set_attributes', attributes: { stage: 'lead' } },
        ],
        stopAfterMatch: false,
      });
      const everyone = await createRule({
        name: 'Everyone',
        trigger: { type: 'message' },
        actions: [{ type: 'reply', message: text('Thanks for writing') }],
      });
      const customer = newCustomer();
      await customerWrites(customer, 'hello');
      await sentCount(customer, 1, 'the general reply');
      expect(await bodies(customer)).toEqual(['Thanks for writing']);
      expect(await runsOf(vip.id)).toEqual([]);
      expect((await runsOf(note.id))[0].outcome).toBe('fired');
      expect((await runsOf(everyone.id))[0].outcome).toBe('fired');
      const conversation = await conversationOf(customer);
      const [stored] = await api.dataSource.query('SELECT body, author_id FROM notes WHERE conversation_id = $1', [
        conversation?.id,
      ]);
      expect(stored).toEqual({ body: 'Wrote in', author_id: null });
      const [contact] = await api.dataSource.query('SELECT attributes FROM contacts WHERE org_id = $1 AND wa_id = $2', [
        orgId,
        customer,
      ]);
      expect(contact.attributes).toEqual({ stage: 'lead' });
    });

    it("fires on a tag a person adds, but never on automation's own tag changes", async () => {
      const rule = await createRule({
        name: 'VIP welcome',
        trigger: { type: 'contact_tagged', tag: 'vip' },
        // Adding vip again would loop if automation's own changes were triggers.
        actions: [
          { type: 'add_tags', tags: ['vip', 'welcomed'] },
          { type: 'reply', message: text('You are now a VIP!') },
        ],
      });
      const customer = newCustomer();
      await customerWrites(customer, 'hi');
      const contactId = await contactIdOf(customer);
      expectStatus(await agent.patch(path(`/contacts/${contactId}`), { tags: ['vip'] }), 200);
      await sentCount(customer, 1, 'the VIP message');
      await sleep(800);
      expect(await bodies(customer)).toEqual(['You are now a VIP!']);
      expect(await runsOf(rule.id)).toHaveLength(1);
      const [after] = await api.dataSource.query('SELECT tags FROM contacts WHERE id = $1', [contactId]);
      expect(after.tags).toEqual(['vip', 'welcomed']);
    });

    it('answers outside business hours in the org time zone', async () => {
      // Open only one minute a week: it is almost surely closed now.
      expectStatus(
        await owner.patch(path(''), {
          timezone: 'Asia/Tokyo',
          businessHours: { sun: [{ open: '03:00', close: '03:01' }] },
        }),
        200,
      );
      const bad = await owner.patch(path(''), { businessHours: { mon: [{ open: '18:00', close: '09:00' }] } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([
        { field: 'businessHours.mon[0].close', message: 'close must be after open' },
      ]);
      expect((await owner.patch(path(''), { timezone: 'Mars/Olympus' })).body.error.details[0].field).toBe('timezone');
      await createRule({
        name: 'Closed',
        trigger: { type: 'outside_business_hours' },
        actions: [{ type: 'reply', message: text("We're closed") }],
      });
      const customer = newCustomer();
      await customerWrites(customer, 'anyone there?');
      await sentCount(customer, 1, 'the closed notice');
      expect(await bodies(customer)).toEqual(["We're closed"]);
      expectStatus(await owner.patch(path(''), { businessHours: null }), 200);
    });

    it('fires on a conversation left idle, once per quiet spell', async () => {
      const rule = await createRule({
        name: 'Nudge',
        trigger: { type: 'conversation_idle', minutes: 5 },
        conditions: [{ type: 'assignee', assignee: 'none' }],
        actions: [
          { type: 'set_status', status: 'pending' },
          { type: 'add_tags', tags: ['idle'] },
        ],
      });
      const customer = newCustomer();
      await customerWrites(customer, 'hello?');
      const conversation = await eventually(() => conversationOf(customer));
      await api.dataSource.query(
        "UPDATE conversations SET last_message_at = now() - interval '6 minutes' WHERE id = $1",
        [conversation.id],
      );
      await eventually(async () => (await conversationOf(customer))?.status === 'pending', 10_000, 'idle rule');
      await sleep(1000);
      expect(await runsOf(rule.id)).toHaveLength(1);
    });
  });

  describe('starter bot', () => {
    it('greets a new customer with buttons, routes the taps, hands off to an online agent and then stays quiet', async () => {
      // The agent has the console open.
      await api.app.get(PresenceService).touch(orgId, agent.user.id, 'socket-1', 'online');
      const bot = expectStatus(await put(owner, path('/automation/starter-bot'), { enabled: true }), 200);
      expect(bot.enabled).toBe(true);
      expect(bot.rules.map((r: any) => r.preset)).toEqual(Array(6).fill('starter_bot'));
      expect((await put(agent, path('/automation/starter-bot'), { enabled: false })).status).toBe(403);

      const customer = newCustomer();
      await customerWrites(customer, 'Hi there');
      const [greeting] = await sentCount(customer, 1, 'the greeting');
      expect(greeting.payload.interactive.action.buttons.map((b: any) => b.reply.id)).toEqual([
        'starter_hours',
        'starter_human',
      ]);

      await customerTaps(customer, 'starter_hours', 'Opening hours');
      await sentCount(customer, 2, 'the opening hours');
      expect((await bodies(customer))[1]).toMatch(/Monday to Friday/);

      await customerTaps(customer, 'starter_human', 'Talk to a human');
      await sentCount(customer, 3, 'the handoff message');
      expect((await bodies(customer))[2]).toMatch(/teammate/);
      const handedOff = await eventually(async () => {
        const c = await conversationOf(customer);
        return c?.bot_active === false && c;
      });
      expect(handedOff.assignee_id).toBe(agent.user.id);
      const conversation = expectStatus(await agent.get(path(`/conversations/${handedOff.id}`)), 200);
      expect(conversation).toMatchObject({ botActive: false, assigneeId: agent.user.id });

      await customerWrites(customer, 'Are you there? I need help with my order');
      await sleep(1000);
      expect(await atMeta(customer)).toHaveLength(3);

      // Resolving ends the handoff: the next conversation is the bot's again.
      expectStatus(await agent.patch(path(`/conversations/${handedOff.id}`), { status: 'resolved' }), 200);
      await customerWrites(customer, 'Hello again');
      await sentCount(customer, 4, 'a new greeting');
      expect((await atMeta(customer))[3].payload.interactive).toBeDefined();

      const off = expectStatus(await put(owner, path('/automation/starter-bot'), { enabled: false }), 200);
      expect(off.enabled).toBe(false);
    });

    it('hands anything it does not understand to the team, politely', async () => {
      expectStatus(await put(owner, path('/automation/starter-bot'), { enabled: true }), 200);
      const customer = newCustomer();
      await customerWrites(customer, 'hi');
      await sentCount(customer, 1, 'the greeting');
      await customerWrites(customer, 'do you ship to Lisbon?');
      await sentCount(customer, 2, 'the polite handoff');
      expect((await bodies(customer))[1]).toMatch(/asked a teammate/);
      expect((await conversationOf(customer))?.bot_active).toBe(false);
    });
  });

  describe('flows', () => {
    const createFlow = async (body: Record<string, unknown>) =>
      expectStatus(await owner.post(path('/flows'), body), 201);
    const enroll = (flowId: string, contactId: string, as: TestSession = agent) =>
      as.post(path(`/flows/${flowId}/enrollments`), { contactId });
    const enrollmentOf = async (flowId: string) =>
      expectStatus(await viewer.get(path(`/flows/${flowId}/enrollments`)), 200).data[0];
    /** A customer who wrote recently (so the window is open), as a contact. */
    const customerContact = async () => {
      const customer = newCustomer();
      await customerWrites(customer, 'hello');
      return { customer, contactId: await contactIdOf(customer) };
    };

    it('refuses a flow whose steps jump nowhere, naming the field', async () => {
      const reply = await owner.post(path('/flows'), {
        name: 'Broken',
        steps: [
          { id: 'a', type: 'wait', amount: 0, unit: 'minutes' },
          { id: 'a', type: 'branch', condition: { type: 'tag', op: 'has', tag: 'x' }, then: 'nowhere' },
        ],
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details.map((d: any) => d.field)).toEqual([
        'steps[1].id',
        'steps[0].amount',
        'steps[1].then',
      ]);
    });

    it('sends step 2 after its delay, branches on the reply, and completes', async () => {
      const flow = await createFlow({
        name: 'Follow-up',
        steps: [
          { id: 'one', type: 'send', message: text('Step 1') },
          { id: 'pause', type: 'wait', amount: 2, unit: 'seconds' },
          { id: 'two', type: 'send', message: text('Step 2: how was it?') },
          { id: 'ask', type: 'wait_for_reply', amount: 30, unit: 'seconds', onReply: 'thanks', onTimeout: 'end' },
          { id: 'thanks', type: 'send', message: text('Thanks for your answer!') },
        ],
      });
      const { customer, contactId } = await customerContact();
      const enrolled = expectStatus(await enroll(flow.id, contactId), 201);
      expect(enrolled).toMatchObject({ flowId: flow.id, contactId, status: 'active', source: 'api' });
      expect((await enroll(flow.id, contactId)).status).toBe(409);

      const [first] = await sentCount(customer, 1, 'step 1');
      const afterFirst = await sentCount(customer, 2, 'step 2');
      const gap = new Date(afterFirst[1].timestamp).getTime() - new Date(first.timestamp).getTime();
      expect(gap).toBeGreaterThanOrEqual(1_900);
      expect(await bodies(customer)).toEqual(['Step 1', 'Step 2: how was it?']);
      await eventually(async () => (await enrollmentOf(flow.id)).awaitingReply === true);

      await customerWrites(customer, 'It was great');
      await sentCount(customer, 3, 'the thanks');
      expect((await bodies(customer))[2]).toBe('Thanks for your answer!');
      await eventually(async () => (await enrollmentOf(flow.id)).status === 'completed', 10_000, 'completed');
      const counts = expectStatus(await viewer.get(path(`/flows/${flow.id}`)), 200).enrollments;
      expect(counts).toEqual({ active: 0, completed: 1, exited: 0 });
    });

    it('stops when the customer replies, and never sends the later steps', async () => {
      const flow = await createFlow({
        name: 'Drip',
        steps: [
          { id: 'a', type: 'send', message: text('Tip 1') },
          { id: 'w', type: 'wait', amount: 2, unit: 'seconds' },
          { id: 'b', type: 'send', message: text('Tip 2') },
        ],
      });
      const { customer, contactId } = await customerContact();
      expectStatus(await enroll(flow.id, contactId), 201);
      await sentCount(customer, 1, 'tip 1');
      await customerWrites(customer, 'stop sending tips please, I have a question');
      await eventually(async () => (await enrollmentOf(flow.id)).status === 'exited');
      expect((await enrollmentOf(flow.id)).exitReason).toBe('replied');
      await sleep(2_500);
      expect(await bodies(customer)).toEqual(['Tip 1']);
    });

    it('puts a customer who replies to a campaign through its reply flow, once per campaign', async () => {
      const flow = await createFlow({
        name: 'Campaign follow-up',
        exitRules: { onReply: false, onResolve: true },
        steps: [{ id: 'a', type: 'send', message: text('Glad you answered! Here is 10% off: WELCOME10') }],
      });
      const { customer, contactId } = await customerContact();
      const conversation = await eventually(() => conversationOf(customer));
      const [template] = await api.dataSource.query(
        `INSERT INTO templates (org_id, waba_account_id, name, language, category, status)
         VALUES ($1, $2, 'spring_sale', 'en_US', 'MARKETING', 'APPROVED') RETURNING id`,
        [orgId, wa.account.id],
      );
      /** A completed campaign with a reply flow, its message and its recipient, as the dispatcher stores them. */
      const sentCampaign = async (name: string, replyFlowId: string, hoursAgo: number) => {
        const at = new Date(Date.now() - hoursAgo * 3_600_000);
        const [sent] = await api.dataSource.query(
          `INSERT INTO campaigns (org_id, name, status, phone_number_id, template_id, reply_flow_id, started_at, completed_at)
           VALUES ($1, $2, 'completed', $3, $4, $5, $6, $6) RETURNING id`,
          [orgId, name, wa.number.id, template.id, replyFlowId, at],
        );
        const [message] = await api.dataSource.query(
          `INSERT INTO messages (org_id, conversation_id, contact_id, phone_number_id, direction, type, status, body, payload, occurred_at, created_at, campaign_id)
           VALUES ($1, $2, $3, $4, 'outbound', 'template', 'delivered', $5, '{}', $6, $6, $7) RETURNING id`,
          [orgId, conversation.id, contactId, wa.number.id, name, at, sent.id],
        );
        await api.dataSource.query(
          `INSERT INTO campaign_recipients (org_id, campaign_id, contact_id, phone, state, message_id)
           VALUES ($1, $2, $3, $4, 'queued', $5)`,
          [orgId, sent.id, contactId, `+${customer}`, message.id],
        );
        return sent;
      };
      const stale = await createFlow({
        name: 'Too late',
        exitRules: { onReply: false, onResolve: true },
        steps: [{ id: 'a', type: 'send', message: text('This one is past its 72 hours') }],
      });
      await sentCampaign('Winter sale', stale.id, 73);
      const campaign = await sentCampaign('Spring sale', flow.id, 0);
      await customerWrites(customer, 'Yes, I am interested!');
      await sentCount(customer, 1, 'the reply flow');
      expect((await enrollmentOf(flow.id)).source).toBe(`campaign:${campaign.id}`);
      expect(await enrollmentOf(stale.id)).toBeUndefined();
      await customerWrites(customer, 'And do you deliver?');
      await sleep(800);
      expect(await bodies(customer)).toEqual(['Glad you answered! Here is 10% off: WELCOME10']);

      const bogus = await owner.patch(path(`/campaigns/${campaign.id}`), { replyFlowId: contactId });
      expect(bogus.status).toBe(409); // launched campaigns can't change; a draft is checked below
      const draft = await owner.post(path('/campaigns'), {
        name: 'Draft',
        phoneNumberId: wa.number.id,
        templateId: template.id,
        replyFlowId: contactId,
      });
      expect(draft.status).toBe(400);
      expect(draft.body.error.details).toEqual([
        { field: 'replyFlowId', message: 'replyFlowId is not a flow of this organization' },
      ]);
    });

    it('is entered by a rule, and left on opt-out', async () => {
      const flow = await createFlow({
        name: 'Onboarding',
        exitRules: { onReply: false, onResolve: true },
        steps: [
          { id: 'a', type: 'send', message: text('Welcome aboard') },
          { id: 'w', type: 'wait', amount: 2, unit: 'seconds' },
          { id: 'b', type: 'send', message: text('Day 2 tip') },
        ],
      });
      await createRule({
        name: 'Start onboarding',
        trigger: { type: 'message', match: 'keyword', keywords: ['join'] },
        actions: [{ type: 'enroll_flow', flowId: flow.id }],
      });
      const customer = newCustomer();
      await customerWrites(customer, 'I want to join');
      await sentCount(customer, 1, 'the welcome');
      expect((await enrollmentOf(flow.id)).source).toMatch(/^rule:/);
      await customerWrites(customer, 'STOP');
      await eventually(async () => (await enrollmentOf(flow.id)).status === 'exited');
      expect((await enrollmentOf(flow.id)).exitReason).toBe('opted_out');
      await sleep(2_500);
      expect((await bodies(customer)).filter((b) => b === 'Day 2 tip')).toEqual([]);
    });
  });
});
