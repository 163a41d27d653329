import type { INestApplication } from '@nestjs/common';
import { configureHttpApp } from '@parley/api/core';
import { useRealtimeAdapter } from '@parley/api/realtime';
import { receiveWebhooksFirst, WEBHOOK_ROUTE, WebhookIngestService } from '@parley/api/webhooks';
import { Metrics } from './observability/metrics';
import { serveConsole } from './console';
import { serveOpenApi } from './openapi';

/** Everything the HTTP app needs before it listens: shared by main.ts and the integration tests. */
export function setupHttp(app: INestApplication): void {
  configureHttpApp(app);
  // Load balancers and clients keep idle connections open for up to a minute (AWS's default is 60 s);
  // Node's 5 s would close them under their feet, and a request sent at that moment fails.
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const metrics = app.get(Metrics);
  receiveWebhooksFirst(server, app.get(WebhookIngestService), (status, seconds) => {
    metrics.httpDuration.observe({ method: 'POST', route: WEBHOOK_ROUTE, status: String(status) }, seconds);
    if (status >= 400) metrics.httpErrors.inc({ status: String(status) });
  });
  serveOpenApi(app);
  serveConsole(app);
  useRealtimeAdapter(app);
}
