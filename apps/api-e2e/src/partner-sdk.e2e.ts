import { createParleyClient, type ParleyEvent } from '@parley/partner-sdk';
import { readState } from '@parley/testing/platform';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { customerSends, eventually, expectStatus, setUpWorld, type World } from './support/client';
import { sendAndReceive } from './support/partner-example';

/** A free port on this machine, for the partner's webhook receiver. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('the partner SDK, against the running platform', () => {
  let world: World;

  beforeAll(async () => {
    world = await setUpWorld(readState());
  });

  it("runs the README's example: sends a message with an API key and hears its statuses, signed", async () => {
    const { key: apiKey } = expectStatus(
      await world.api.post(`${world.org}/api-keys`, { name: 'CRM sync', scopes: ['admin'] }),
      201,
    );
    const port = await freePort();
    // The partner subscribes with the SDK itself (its typed client, with its key).
    const parley = createParleyClient({ baseUrl: world.api.baseUrl, apiKey });
    const subscribed = await parley.POST('/api/v1/orgs/{orgId}/webhook-subscriptions', {
      params: { path: { orgId: world.orgId } },
      body: { url: `http://127.0.0.1:${port}/parley`, events: ['message.status'] },
    });
    expect(subscribed.error).toBeUndefined();
    const secret = subscribed.data?.secret as string;
    // The customer in the example wrote first: the 24-hour window is open.
    await customerSends(world, '5511987654321', { type: 'text', text: { body: 'Where is my order?' } });
    await eventually(
      async () => (await world.api.get(`${world.org}/conversations?q=5511987654321`)).body.data?.length > 0,
      'the customer message stored',
    );

    const events: ParleyEvent[] = [];
    const { message, error, receiver } = await sendAndReceive({
      baseUrl: world.api.baseUrl,
      apiKey,
      orgId: world.orgId,
      secret,
      port,
      onEvent: (event) => events.push(event),
    });
    try {
      expect(error).toBeUndefined();
      expect(message).toMatchObject({ direction: 'outbound', body: 'Your order has shipped!' });
      // The sandbox reports delivered, then read (sent was already known from the send itself); each
      // change arrives signed, and the SDK reads it.
      const statuses = await eventually(async () => {
        const seen = events.flatMap((event) =>
          event.type === 'message.status' && event.data.message.id === message?.id ? [event.data.message.status] : [],
        );
        // Deliveries run side by side, as Meta's do: `read` may be heard before `delivered`.
        return seen.includes('delivered') && seen.includes('read') && seen;
      }, 'the message delivered and read, heard on the webhook');
      expect(statuses).toEqual(expect.arrayContaining(['delivered', 'read']));
    } finally {
      receiver.close();
    }
  });

  it('is the example shown in the README, word for word', () => {
    const example = readFileSync(join(__dirname, 'support/partner-example.ts'), 'utf8');
    const marked = /\/\/ README:start\n([\s\S]*?)\n\s*\/\/ README:end/.exec(example)?.[1] ?? '';
    // Indentation aside: the README nests it in a list.
    const flat = (text: string) =>
      text
        .split('\n')
        .map((line) => line.trim())
        .join('\n');
    expect(marked.length).toBeGreaterThan(200);
    expect(flat(readFileSync(join(__dirname, '../../../README.md'), 'utf8'))).toContain(flat(marked));
  });
});
