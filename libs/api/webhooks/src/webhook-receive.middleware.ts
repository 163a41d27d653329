import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { WebhookIngestService } from './webhook-ingest.service';

/** The route Meta POSTs to, as the HTTP metrics label it. */
const ROUTE = '/api/v1/webhooks/whatsapp/:wabaAccountId';

/**
 * Answers Meta's webhook POSTs ahead of Nest's route pipeline (guards, interceptors, pipes), which
 * has nothing to do for them: the route is public, takes no body DTO and no Idempotency-Key, and
 * was most of the api's CPU per webhook. The signature check, the INSERT and the queueing are
 * WebhookIngestService's, as for the controller, which stays for the GET handshake and the OpenAPI
 * document. A failure goes to the global exception filter like any other.
 */
@Injectable()
export class WebhookReceiveMiddleware implements NestMiddleware {
  constructor(private readonly ingest: WebhookIngestService) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const wabaAccountId = req.params['wabaAccountId'];
    if (req.method !== 'POST' || typeof wabaAccountId !== 'string') return next();
    // The HTTP metrics label responses by the matched route, which a middleware never reaches.
    Object.assign(req, { route: { path: ROUTE } });
    await this.ingest.receive(wabaAccountId, req.body, req.header('x-hub-signature-256'));
    res.status(200).end();
  }
}
