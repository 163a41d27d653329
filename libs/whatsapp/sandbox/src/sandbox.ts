import express, { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxContext } from './context';
import { controlRouter } from './control';
import { graphRouter } from './graph';
import { PAGE } from './page';

export interface SandboxOptions {
  /** The address the platform and browsers use for the sandbox (builds media URLs). */
  publicUrl?: string;
  controlToken?: string;
}

export interface RunningSandbox {
  ctx: SandboxContext;
  url: string;
  close(): Promise<void>;
}

const VERSIONED = /^\/(v\d{1,2}\.\d)(\/.*)?$/;

/** The WhatsApp Cloud API emulator as an Express app. */
export function createSandboxApp(ctx: SandboxContext, options: SandboxOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const graph = graphRouter(ctx);
  app.get('/', (_req, res) => void res.type('html').send(PAGE));
  app.use('/_sandbox', controlRouter(ctx, options.controlToken));
  // Graph API paths carry a version prefix (`/v23.0/...`): strip it and hand the rest to the Graph router.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const match = VERSIONED.exec(req.url);
    if (!match) return next();
    req.url = match[2] ?? '/';
    graph(req, res, next);
  });
  app.use(
    (_req: Request, res: Response) =>
      void res
        .status(404)
        .json({ error: { message: 'Unknown path: Graph API paths start with a version such as /v23.0', code: 100 } }),
  );
  app.use((error: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status < 500 ? error.status : 500;
    res.status(status).json({
      error: {
        message: error.type === 'entity.parse.failed' ? 'Invalid JSON' : error.message,
        type: 'OAuthException',
        code: status === 500 ? 1 : 100,
      },
    });
  });
  return app;
}

/** Starts the sandbox on `port` (0 for any free port). */
export async function startSandbox(
  port: number,
  host = '0.0.0.0',
  options: SandboxOptions = {},
): Promise<RunningSandbox> {
  const ctx = new SandboxContext(options.publicUrl ?? '');
  const server: Server = await new Promise((resolve) => {
    const listening = createSandboxApp(ctx, options).listen(port, host, () => resolve(listening));
  });
  const { port: actual } = server.address() as AddressInfo;
  const url = options.publicUrl ?? `http://127.0.0.1:${actual}`;
  ctx.publicUrl = url;
  return {
    ctx,
    url,
    close: () =>
      new Promise((resolve) => {
        ctx.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
