/* eslint-disable @typescript-eslint/no-explicit-any -- black-box tests read JSON bodies loosely */
import { io, Socket } from 'socket.io-client';
import { customerSends, digits, setUpWorld, World } from './support/client';
import { readState } from '@parley/testing/platform';

describe('realtime, end to end', () => {
  let world: World;
  let socket: Socket;

  beforeAll(async () => {
    world = await setUpWorld(readState());
  });
  afterAll(() => socket?.close());

  it('shows a message on a socket of the second api process when Meta’s webhook reached the first', async () => {
    socket = io(world.api2.baseUrl, { auth: { token: world.api2.token }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const joined = await socket.timeout(5_000).emitWithAck('org.join', { orgId: world.orgId });
    expect(joined).toEqual({ ok: true, role: 'owner' });

    const from = `55119${digits(8)}`;
    const arrived = new Promise<any>((resolve) =>
      socket.on('message.created', (message: any) => message.payload?.from === from && resolve(message)),
    );
    const sent = await customerSends(world, from, { type: 'text', text: 'Chegou aí?' });
    const message = await Promise.race([
      arrived,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no message.created within 10 s')), 10_000)),
    ]);
    expect(message).toMatchObject({
      waMessageId: sent.id,
      direction: 'inbound',
      type: 'text',
      status: 'received',
      body: 'Chegou aí?',
      conversationId: expect.any(String),
      contactId: expect.any(String),
    });
  });
});
