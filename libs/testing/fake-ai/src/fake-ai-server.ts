import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Which API the fake speaks: OpenAI's chat completions (`POST /v1/chat/completions`) or Anthropic's Messages (`POST /v1/messages`). */
export type FakeAiFlavor = 'openai' | 'anthropic';

/** What the fake does with one call. */
export type FakeAnswer =
  /** A model answer whose text is this value as JSON. */
  | { json: unknown }
  /** A model answer with exactly this text (say, JSON that is not). */
  | { content: string }
  /** An HTTP error with the API's error body. */
  | { status: number; errorType?: string }
  /** Waits this long before answering (with `then`, or the responder's answer): a timeout for a short client deadline. */
  | { delayMs: number; then?: FakeAnswer }
  /** HTTP 200 with a body that is not JSON at all. */
  | { garbage: true };

/** A call the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
  /** The system prompt and the user message, whichever API shape carried them. */
  system: string;
  user: string;
}

/** What a prompt asks for, told by the JSON fields it names: a message reading, a conversation reading or a reply. */
export type PromptKind = 'message' | 'conversation' | 'reply' | 'unknown';

export function promptKind(request: RecordedRequest): PromptKind {
  if (request.system.includes('"leadScore"')) return 'conversation';
  if (request.system.includes('"reply"')) return 'reply';
  if (request.system.includes('"sentiment"')) return 'message';
  return 'unknown';
}

/** Answers every kind of prompt sensibly, so a test scripts only what it cares about. */
export const DEFAULT_ANSWERS: Readonly<Record<PromptKind, FakeAnswer>> = {
  message: { json: { sentiment: 'positive', intent: 'product_inquiry', language: 'en', confidence: 0.9 } },
  conversation: {
    json: {
      summary: 'The customer asks about the price of the blue sneakers.',
      priority: 'normal',
      suggestedTags: ['sneakers', 'pricing'],
      leadScore: 70,
    },
  },
  reply: {
    json: {
      reply: 'The blue sneakers are 59 euros. Which size do you need?',
      intent: 'product_inquiry',
      confidence: 0.9,
    },
  },
  unknown: { status: 400, errorType: 'invalid_request_error' },
};

/**
 * A stand-in for a model API on an ephemeral localhost port: answers by script (in order), else by
 * the responder (by default `DEFAULT_ANSWERS` per prompt kind), and records every request.
 */
export class FakeAiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly scripted: FakeAnswer[] = [];
  private responder: (request: RecordedRequest) => FakeAnswer = (request) => DEFAULT_ANSWERS[promptKind(request)];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private readonly server: Server;

  private constructor(readonly flavor: FakeAiFlavor) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(flavor: FakeAiFlavor = 'openai'): Promise<FakeAiServer> {
    const fake = new FakeAiServer(flavor);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Where it listens: `http://127.0.0.1:<port>`. */
  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The base URL to configure: `{origin}/v1` for OpenAI-compatible clients, the origin for Anthropic's. */
  get baseUrl(): string {
    return this.flavor === 'openai' ? `${this.origin}/v1` : this.origin;
  }

  /** The next calls get these answers, in order; then the responder answers again. */
  script(...answers: FakeAnswer[]): this {
    this.scripted.push(...answers);
    return this;
  }

  /** Answers every unscripted call. */
  respondWith(responder: (request: RecordedRequest) => FakeAnswer): this {
    this.responder = responder;
    return this;
  }

  /** Forgets the script, the recorded requests and any responder. */
  reset(): void {
    this.scripted.length = 0;
    this.requests.length = 0;
    this.responder = (request) => DEFAULT_ANSWERS[promptKind(request)];
  }

  /** Recorded requests whose prompt is of `kind`. */
  requestsOf(kind: PromptKind): RecordedRequest[] {
    return this.requests.filter((request) => promptKind(request) === kind);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const path = req.url ?? '/';
    const expected = this.flavor === 'openai' ? '/v1/chat/completions' : '/v1/messages';
    if (req.method !== 'POST' || path !== expected) return this.send(res, 404, { error: { type: 'not_found' } });
    const request: RecordedRequest = {
      method: req.method,
      path,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      body,
      ...this.prompts(body),
    };
    this.requests.push(request);
    await this.answer(res, request, this.scripted.shift() ?? this.responder(request));
  }

  private async answer(res: ServerResponse, request: RecordedRequest, answer: FakeAnswer): Promise<void> {
    if ('delayMs' in answer) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, answer.delayMs);
        this.timers.add(timer);
      });
      if (res.destroyed) return;
      return this.answer(res, request, answer.then ?? this.responder(request));
    }
    if ('garbage' in answer) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
      return;
    }
    if ('status' in answer) {
      const type = answer.errorType ?? 'server_error';
      // Real APIs echo part of the key in some error messages: the client must never pass them on.
      const message = 'Incorrect API key provided: sk-fake***';
      return this.send(
        res,
        answer.status,
        this.flavor === 'openai'
          ? { error: { message, type, code: type } }
          : { type: 'error', error: { type, message } },
      );
    }
    const content = 'json' in answer ? JSON.stringify(answer.json) : answer.content;
    const model = (request.body as { model?: string } | null)?.model ?? 'fake-model';
    this.send(
      res,
      200,
      this.flavor === 'openai'
        ? {
            id: `chatcmpl-${this.requests.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
          }
        : {
            id: `msg_${this.requests.length}`,
            type: 'message',
            role: 'assistant',
            model,
            content: [{ type: 'text', text: content }],
            stop_reason: 'end_turn',
            usage: { input_tokens: 100, output_tokens: 20 },
          },
    );
  }

  private prompts(body: unknown): { system: string; user: string } {
    const payload = body as { system?: unknown; messages?: { role?: string; content?: unknown }[] } | null;
    const messages = Array.isArray(payload?.messages) ? payload.messages : [];
    const textOf = (role: string) =>
      messages
        .filter((message) => message.role === role)
        .map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)))
        .join('\n');
    const system = typeof payload?.system === 'string' ? payload.system : textOf('system');
    return { system, user: textOf('user') };
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
