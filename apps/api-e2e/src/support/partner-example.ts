import { createServer, type Server } from 'node:http';
import { createParleyClient, type ParleyEvent, readWebhook } from '@parley/partner-sdk';

/**
 * The README's example, runnable: send a message with an API key, and hear its statuses on a
 * webhook subscribed to `message.status`. The lines between the markers are the README's, word for
 * word (a test checks). Resolves with the message sent and the receiver, to close when done.
 */
export async function sendAndReceive(setup: {
  baseUrl: string;
  apiKey: string;
  orgId: string;
  secret: string;
  port: number;
  onEvent: (event: ParleyEvent) => void;
}) {
  const { baseUrl, apiKey, orgId, secret, port, onEvent } = setup;
  // README:start
  const parley = createParleyClient({ baseUrl, apiKey });
  const { data: message, error } = await parley.POST('/api/v1/orgs/{orgId}/messages', {
    params: { path: { orgId } },
    body: { to: '+5511987654321', type: 'text', text: { body: 'Your order has shipped!' } },
  });
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const event = readWebhook(secret, { body, headers: request.headers });
      if (event) onEvent(event); // e.g. event.type === 'message.status': event.data.message.status
      response.writeHead(event ? 200 : 401).end();
    });
  });
  receiver.listen(port);
  // README:end
  return { message, error, receiver: receiver as Server };
}
