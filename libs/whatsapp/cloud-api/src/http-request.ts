import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** An answer read whole: status and body as text. */
export interface TextResponse {
  status: number;
  text: string;
}

/** Raised when a request got no whole answer within its time. */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

// Idle connections are closed after 4 s, before a Node server's default of 5 s closes them under a
// request that is on its way.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, timeout: 4_000 }),
  'https:': new HttpsAgent({ keepAlive: true, timeout: 4_000 }),
};

/**
 * One request with a small body and a small answer, over kept-alive connections: what webhooks and
 * the Graph API's JSON calls are. `fetch` spends about four times the CPU on the same call (its web
 * streams, its abort signals), which a worker sending a thousand messages a second feels.
 * Connection errors reject with Node's error (`code` set); no answer within `timeoutMs` rejects with
 * a `RequestTimeoutError`.
 */
export function requestText(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  timeoutMs: number,
): Promise<TextResponse> {
  const target = new URL(url);
  const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
  const send = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<TextResponse>((resolve, reject) => {
    const request = send(
      target,
      {
        method,
        agent: agents[protocol],
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', fail);
      },
    );
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    const timer = setTimeout(
      () => request.destroy(new RequestTimeoutError(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.on('error', fail);
    request.end(body);
  });
}
