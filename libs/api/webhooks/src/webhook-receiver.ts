import { API_PREFIX, DomainError, ErrorCode, errorAnswer, requestIdFrom } from '@parley/api/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { WebhookIngestService } from './webhook-ingest.service';

/** The route Meta POSTs to, as the HTTP metrics label it. */
export const WEBHOOK_ROUTE = `/${API_PREFIX}/webhooks/whatsapp/:wabaAccountId`;
const PATH = new RegExp(`^/${API_PREFIX}/webhooks/whatsapp/([^/?]+)/?(?:\\?.*)?$`);
/** Meta's payloads go up to 3 MB. */
const MAX_BYTES = 3 * 1024 * 1024;

/** Told of every answered webhook POST: its status and how long it took. */
export type WebhookObserver = (status: number, seconds: number) => void;

/**
 * Answers Meta's webhook POSTs on the HTTP server, ahead of Express: read the raw bytes, then
 * WebhookIngestService checks the signature, stores and queues, as the controller would. Nothing
 * in the Express stack (routing, body parsers, CORS, request context, guards, pipes) has work to
 * do for this public route, and it was most of the api's CPU per webhook. Answers carry
 * `X-Request-Id` and errors the API's error shape. Every other request goes on to Express; the
 * controller's route stays for the GET handshake and the OpenAPI document.
 */
export function receiveWebhooksFirst(server: Server, ingest: WebhookIngestService, observe: WebhookObserver): void {
  const [next, ...others] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!next || others.length > 0) throw new Error('receiveWebhooksFirst expects exactly the Express app on the server');
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const accountId = req.method === 'POST' ? PATH.exec(req.url ?? '')?.[1] : undefined;
    if (accountId === undefined) next(req, res);
    else void receive(ingest, observe, accountId, req, res);
  });
}

async function receive(
  ingest: WebhookIngestService,
  observe: WebhookObserver,
  accountId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const requestId = requestIdFrom(req.headers['x-request-id']);
  res.setHeader('X-Request-Id', requestId);
  res.on('finish', () => observe(res.statusCode, (performance.now() - started) / 1000));
  try {
    const body = await readBody(req);
    await ingest.receive(decodeURIComponent(accountId), body, header(req, 'x-hub-signature-256'));
    res.statusCode = 200;
    res.end();
  } catch (error) {
    const answer = errorAnswer(error instanceof URIError ? DomainError.notFound('WhatsApp account') : error, requestId);
    if (res.headersSent) return;
    // After a 413 the body is still arriving: the connection ends with the answer.
    if (answer.status === 413) res.setHeader('Connection', 'close');
    res.writeHead(answer.status, { ...answer.headers, 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  }
}

/** The raw body, at most MAX_BYTES (beyond, a 413). */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      req.resume(); // the rest is read and dropped
      reject(new DomainError(ErrorCode.PayloadTooLarge, 'A webhook body is at most 3 MB'));
    };
    if (Number(req.headers['content-length'] ?? 0) > MAX_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      tooLarge();
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
