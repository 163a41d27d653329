import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudApiClient } from './client';
import { GraphApiError } from './errors';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Buffer;
}

/** A stand-in for graph.facebook.com that records requests and answers from a script. */
async function fakeGraph(
  answer: (req: Seen) => { status?: number; json?: unknown; raw?: Buffer; type?: string; delayMs?: number },
) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: Buffer.concat(chunks),
    };
    seen.push(request);
    const reply = answer(request);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    res.writeHead(reply.status ?? 200, { 'content-type': reply.type ?? 'application/json' });
    res.end(reply.raw ?? JSON.stringify(reply.json ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('CloudApiClient', () => {
  it('sends a message to /{version}/{phone-number-id}/messages with the bearer token', async () => {
    const graph = await fakeGraph(() => ({
      json: {
        messaging_product: 'whatsapp',
        contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
        messages: [{ id: 'wamid.abc', message_status: 'accepted' }],
      },
    }));
    try {
      const client = new CloudApiClient({ baseUrl: `${graph.baseUrl}/`, version: 'v23.0', accessToken: 'token-1' });
      const result = await client.sendMessage('1065', {
        to: '+16505551234',
        type: 'text',
        text: { body: 'Olá!' },
        context: { message_id: 'wamid.quoted' },
      });
      expect(result).toEqual({ waMessageId: 'wamid.abc', waId: '16505551234', messageStatus: 'accepted' });
      expect(graph.seen[0]).toMatchObject({
        method: 'POST',
        url: '/v23.0/1065/messages',
        authorization: 'Bearer token-1',
        contentType: 'application/json',
      });
      expect(JSON.parse(graph.seen[0]?.body.toString() ?? '')).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+16505551234',
        type: 'text',
        text: { body: 'Olá!' },
        context: { message_id: 'wamid.quoted' },
      });
    } finally {
      await graph.close();
    }
  });

  it("turns Meta's errors into GraphApiError with code, details and retryability", async () => {
    const graph = await fakeGraph(() => ({
      status: 400,
      json: {
        error: {
          message: '(#131026) Message undeliverable',
          type: 'OAuthException',
          code: 131026,
          error_data: { details: 'Not on WhatsApp' },
          fbtrace_id: 't',
        },
      },
    }));
    try {
      const client = new CloudApiClient({ baseUrl: graph.baseUrl, version: 'v23.0', accessToken: 't' });
      const error = await client
        .sendMessage('1', { to: '1', type: 'text', text: { body: 'x' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphApiError);
      expect(error).toMatchObject({
        code: 131026,
        title: 'Message undeliverable',
        details: 'Not on WhatsApp',
        httpStatus: 400,
        retryable: false,
      });
    } finally {
      await graph.close();
    }
  });

  it('reports timeouts and refused connections as retryable network errors; only a timeout leaves the outcome unknown', async () => {
    const graph = await fakeGraph(() => ({ delayMs: 500, json: {} }));
    try {
      const slow = new CloudApiClient({ baseUrl: graph.baseUrl, version: 'v23.0', accessToken: 't', timeoutMs: 50 });
      const timeout = (await slow.getMedia('m1').catch((e: unknown) => e)) as GraphApiError;
      expect([timeout.code, timeout.httpStatus, timeout.retryable, timeout.outcomeUnknown]).toEqual([
        null,
        null,
        true,
        true,
      ]);
      expect(timeout.message).toContain('timed out after 50 ms');
    } finally {
      await graph.close();
    }
    // The closed server's port now refuses connections.
    const nowhere = new CloudApiClient({ baseUrl: graph.baseUrl, version: 'v23.0', accessToken: 't' });
    const refused = (await nowhere.getMedia('m1').catch((e: unknown) => e)) as GraphApiError;
    expect([refused.code, refused.retryable, refused.outcomeUnknown]).toEqual([null, true, false]);
    expect(refused.message).toContain('Graph API unreachable');
  });

  it('follows template paging to the end', async () => {
    const graph = await fakeGraph((req) => {
      const after = new URL(req.url, 'http://x').searchParams.get('after');
      const pages: Record<string, unknown> = {
        '': { data: [{ id: '1', name: 'a' }], paging: { cursors: { after: 'p2' }, next: 'http://next' } },
        p2: { data: [{ id: '2', name: 'b' }], paging: { cursors: { after: 'p3' }, next: 'http://next' } },
        p3: { data: [{ id: '3', name: 'c' }], paging: { cursors: { before: 'p2' } } },
      };
      return { json: pages[after ?? ''] };
    });
    try {
      const client = new CloudApiClient({ baseUrl: graph.baseUrl, version: 'v25.0', accessToken: 't' });
      expect((await client.listAllTemplates('waba-1')).map((t) => t.id)).toEqual(['1', '2', '3']);
      expect(graph.seen.map((r) => r.url)).toEqual([
        '/v25.0/waba-1/message_templates?limit=100',
        '/v25.0/waba-1/message_templates?limit=100&after=p2',
        '/v25.0/waba-1/message_templates?limit=100&after=p3',
      ]);
    } finally {
      await graph.close();
    }
  });

  it('uploads media as multipart and downloads it with the token', async () => {
    const graph = await fakeGraph((req) =>
      req.url.startsWith('/files/') ? { raw: Buffer.from([1, 2, 3]), type: 'image/png' } : { json: { id: 'media-1' } },
    );
    try {
      const client = new CloudApiClient({ baseUrl: graph.baseUrl, version: 'v23.0', accessToken: 'tok' });
      await expect(
        client.uploadMedia('1065', { data: Buffer.from('PNGDATA'), mimeType: 'image/png', filename: 'a.png' }),
      ).resolves.toEqual({ id: 'media-1' });
      const upload = graph.seen[0];
      expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(upload?.body.toString()).toMatch(/name="messaging_product"\r\n\r\nwhatsapp/);
      expect(upload?.body.toString()).toMatch(
        /name="file"; filename="a.png"\r\nContent-Type: image\/png\r\n\r\nPNGDATA/,
      );

      const file = await client.downloadMedia(`${graph.baseUrl}/files/m1?token=x`);
      expect(file).toEqual({ data: Buffer.from([1, 2, 3]), contentType: 'image/png' });
      expect(graph.seen[1]?.authorization).toBe('Bearer tok');
    } finally {
      await graph.close();
    }
  });

  it('sends the token for media downloads only to Meta or its own base URL', async () => {
    const client = new CloudApiClient({ baseUrl: 'http://127.0.0.1:9', version: 'v23.0', accessToken: 'tok' });
    const refused = (await client
      .downloadMedia('https://attacker.example/file')
      .catch((e: unknown) => e)) as GraphApiError;
    expect([refused.message, refused.retryable]).toEqual([
      'Refusing to send the access token to attacker.example',
      false,
    ]);
    const plainHttp = (await client
      .downloadMedia('http://lookaside.fbsbx.com/x')
      .catch((e: unknown) => e)) as GraphApiError;
    expect(plainHttp.message).toContain('Refusing');
  });

  it('marks as read with the typing indicator', async () => {
    const graph = await fakeGraph(() => ({ json: { success: true } }));
    try {
      await new CloudApiClient({ baseUrl: graph.baseUrl, version: 'v23.0', accessToken: 't' }).markRead(
        '1065',
        'wamid.in',
        { typing: true },
      );
      expect(JSON.parse(graph.seen[0]?.body.toString() ?? '')).toEqual({
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: 'wamid.in',
        typing_indicator: { type: 'text' },
      });
    } finally {
      await graph.close();
    }
  });
});
