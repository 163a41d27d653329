import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { ClsMiddleware, ClsModule } from 'nestjs-cls';
import type { RequestContextStore } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's `X-Request-Id` when it is a sensible one, else a new id. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Opens a context per request: request id (echoed as `X-Request-Id`), client address and user
 * agent; the access guard adds the principal and tenant. Mounted by `configureHttpApp` ahead of
 * the body parser, so even a malformed body gets a request id.
 */
export const requestContextMiddleware = new ClsMiddleware({
  generateId: true,
  idGenerator: (req: Request) => requestIdFrom(req.header('x-request-id')),
  setup: (cls, req: Request, res: Response) => {
    cls.set<RequestContextStore['ip']>('ip', req.ip);
    cls.set<RequestContextStore['userAgent']>('userAgent', req.header('user-agent')?.slice(0, 256));
    res.setHeader('X-Request-Id', cls.getId());
  },
}).use;

/** The context store, for the api and the worker. */
@Module({ imports: [ClsModule.forRoot({ global: true })] })
export class RequestContextModule {}
