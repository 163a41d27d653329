/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { readState } from '@parley/testing/platform';
import { io, Socket } from 'socket.io-client';
import { customerSends, digits, eventually, expectStatus, setUpWorld, World } from './support/client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (body: string) => ({ type: 'text', text: { body } });

describe('automation, end to end', () => {
  let world: World;
  let agentSocket: Socket;
  const conversationEvents: any[] = [];

  /** What the business sent to the customer, as Meta (the sandbox) received it, oldest first. */
  const atMeta = async (from: string): Promise<any[]> =>
    expectStatus(await world.sandbox.get(`/_sandbox/messages?to=${from}&direction=outbound`), 200).data;
  const sent = (from: string, count: number, what: string) =>
    eventually(async () => {
      const messages = await atMeta(from);
      return messages.length >= count && messages;
    }, what);
  const textOf = (message: any) => message.payload?.text?.body ?? message.payload?.interactive?.body?.text;
  const writes = (from: string, body: string) => customerSends(world, from, { type: 'text', text: { body } });
  const taps = (from: string, id: string, title: string) =>
    customerSends(world, from, {
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id, title } },
    });

  beforeAll(async () => {
    world = await setUpWorld(readState());
    // The agent (the owner here) has the console open on the second api process: present, online.
    agentSocket = io(world.api2.baseUrl, { auth: { token: world.api2.token }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => {
      agentSocket.once('connect', () => resolve());
      agentSocket.once('connect_error', reject);
    });
    expect(await agentSocket.timeout(5_000).emitWithAck('org.join', { orgId: world.orgId })).toMatchObject({
      ok: true,
    });
    expect(await agentSocket.timeout(5_000).emitWithAck('presence', { status: 'online' })).toEqual({ ok: true });
    agentSocket.on('conversation.updated', (conversation: any) => conversationEvents.push(conversation));
  });
  afterAll(() => agentSocket?.close());

  it('the starter bot greets with buttons, routes a tap, hands "human" to the online agent, then stays quiet', async () => {
    const bot = expectStatus(
      await world.api.request('PUT', `${world.org}/automation/starter-bot`, { body: { enabled: true } }),
      200,
    );
    expect(bot.enabled).toBe(true);
    const from = `55119${digits(8)}`;

    await writes(from, 'Oi, boa tarde');
    const [greeting] = await sent(from, 1, 'the greeting');
    expect(greeting.type).toBe('interactive');
    const buttons = greeting.payload.interactive.action.buttons.map((b: any) => b.reply);
    expect(buttons.map((b: any) => b.id)).toEqual(['starter_hours', 'starter_human']);

    await taps(from, 'starter_hours', 'Opening hours');
    const afterHours = await sent(from, 2, 'the opening hours');
    expect(textOf(afterHours[1])).toMatch(/Monday to Friday/);

    await taps(from, 'starter_human', 'Talk to a human');
    const afterHandoff = await sent(from, 3, 'the handoff message');
    expect(textOf(afterHandoff[2])).toMatch(/teammate/);
    // The agent's screen learns it at once: handed off, and theirs.
    const handedOff = await eventually(
      async () => conversationEvents.find((c) => c.contact.phone === `+${from}` && c.botActive === false),
      'conversation.updated with the handoff',
    );
    expect(handedOff.assigneeId).toBe(world.userId);

    await writes(from, 'Preciso de ajuda com meu pedido 1234');
    await sleep(1_500);
    expect(await atMeta(from)).toHaveLength(3);
    const log = expectStatus(await world.api.get(`${world.org}/automation-runs?conversationId=${handedOff.id}`), 200);
    expect(log.data.map((run: any) => run.ruleName).reverse()).toEqual([
      'Starter bot: greeting menu',
      'Starter bot: opening hours',
      'Starter bot: talk to a human (button)',
    ]);
    expectStatus(
      await world.api.request('PUT', `${world.org}/automation/starter-bot`, { body: { enabled: false } }),
      200,
    );
  });

  it('a flow sends step 2 after its delay and stops when the customer replies', async () => {
    const flow = expectStatus(
      await world.api.post(`${world.org}/flows`, {
        name: 'Welcome drip',
        steps: [
          { id: 'one', type: 'send', message: text('Welcome! Tip 1: reply any time.') },
          { id: 'w1', type: 'wait', amount: 2, unit: 'seconds' },
          { id: 'two', type: 'send', message: text('Tip 2: you can pay on delivery.') },
          { id: 'w2', type: 'wait', amount: 3, unit: 'seconds' },
          { id: 'three', type: 'send', message: text('Tip 3: free returns.') },
        ],
      }),
      201,
    );
    const from = `55119${digits(8)}`;
    await writes(from, 'hello');
    const contactId = await eventually(async () => {
      const [contact] = expectStatus(await world.api.get(`${world.org}/contacts?q=${from}`), 200).data;
      return contact?.id;
    }, 'the contact');
    expectStatus(await world.api.post(`${world.org}/flows/${flow.id}/enrollments`, { contactId }), 201);

    await sent(from, 1, 'step 1');
    const [, second] = await sent(from, 2, 'step 2');
    expect(textOf(second)).toBe('Tip 2: you can pay on delivery.');
    // The wait runs from step 1 being done (stored and queued) to step 2: our own times for both
    // (the sandbox's receipt times also carry the send queue's delay, longer for either under load).
    const [conversation] = expectStatus(await world.api.get(`${world.org}/conversations?q=${from}`), 200).data;
    const steps = expectStatus(await world.api.get(`${world.org}/conversations/${conversation.id}/messages`), 200)
      .data.filter((m: any) => m.direction === 'outbound')
      .map((m: any) => Date.parse(m.createdAt))
      .sort((a: number, b: number) => a - b);
    expect(steps).toHaveLength(2);
    expect(steps[1] - steps[0]).toBeGreaterThanOrEqual(1_900);

    await writes(from, 'Thanks! One question though');
    await eventually(async () => {
      const [enrollment] = expectStatus(await world.api.get(`${world.org}/flows/${flow.id}/enrollments`), 200).data;
      return enrollment.status === 'exited' && enrollment.exitReason === 'replied';
    }, 'the flow to stop');
    await sleep(3_500);
    expect((await atMeta(from)).map(textOf)).toEqual([
      'Welcome! Tip 1: reply any time.',
      'Tip 2: you can pay on delivery.',
    ]);
  });

  it('never answers its own messages: a reply holding its keyword fires nothing more', async () => {
    const rule = expectStatus(
      await world.api.post(`${world.org}/automation-rules`, {
        name: 'Echo guard',
        trigger: { type: 'message', match: 'keyword', keywords: ['menu'] },
        actions: [{ type: 'reply', message: text('Here is the menu: write "menu" again any time.') }],
      }),
      201,
    );
    const from = `55119${digits(8)}`;
    await writes(from, 'MENU please');
    await sent(from, 1, 'the menu');
    await sleep(1_500);
    expect(await atMeta(from)).toHaveLength(1);
    const log = expectStatus(await world.api.get(`${world.org}/automation-runs?ruleId=${rule.id}`), 200);
    expect(log.data).toHaveLength(1);
    expectStatus(await world.api.patch(`${world.org}/automation-rules/${rule.id}`, { enabled: false }), 200);
  });
});
