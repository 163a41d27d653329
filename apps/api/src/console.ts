import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_PREFIX, AppConfig, UNPREFIXED_ROUTES } from '@parley/api/core';
import { static as serveStatic, type Request, type RequestHandler } from 'express';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/** Angular's output hashing (`main-2YKMSXT5.js`, `chunk-…`, `media/logo-…`): the name changes with the content. */
const HASHED_FILE = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
const FOREVER = 'public, max-age=31536000, immutable';
/** Paths that are never the console's: the API, Socket.io and the operations endpoints. */
const SERVER_PATHS = [API_PREFIX.split('/')[0], 'socket.io', ...UNPREFIXED_ROUTES].map((segment) => `/${segment}`);

/**
 * Serves the built console from CONSOLE_DIR at `/`, when it is set: hashed bundles are cached for
 * a year, everything else revalidates, and page loads outside the server's paths get index.html,
 * so deep links (`/inbox/123`) open the app. Runs before Nest's routes, which it never shadows:
 * requests to the server's paths (webhooks included) pass straight through, with no file lookup.
 * index.html and its CSP are read once; a new build means a new deployment, which restarts.
 */
export function serveConsole(app: INestApplication): void {
  const dir = app.get(AppConfig).CONSOLE_DIR;
  if (!dir) return;
  const indexFile = join(resolve(dir), 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('Console').warn(`CONSOLE_DIR has no index.html (${indexFile}); the console is not served`);
    return;
  }
  const html = readFileSync(indexFile, 'utf8');
  const csp = consoleCsp(html);
  const files = serveStatic(resolve(dir), {
    index: false,
    redirect: false,
    setHeaders: (res, file) => {
      res.setHeader('Cache-Control', HASHED_FILE.test(basename(file)) ? FOREVER : 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
    },
  });
  const serve: RequestHandler = (req, res, next) => {
    if (isServerPath(req)) return next();
    const page = () =>
      isPageLoad(req)
        ? void res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': csp }).type('html').send(html)
        : next();
    // A file of the build when there is one; otherwise the app's page (index.html always goes out so, with its CSP).
    if (req.path === '/index.html') return page();
    files(req, res, (error?: unknown) => (error ? next(error) : page()));
  };
  (app as NestExpressApplication).use(serve);
}

function isServerPath(req: Request): boolean {
  return SERVER_PATHS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`));
}

/** A browser asking for a page (not a script, or a file that isn't there). */
function isPageLoad(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  return req.path === '/index.html' || (req.headers.accept ?? '').includes('text/html');
}

/**
 * Scripts only from the app's origin. Angular's critical-CSS step writes `onload="this.media='all'"`
 * on the stylesheet link, which `'self'` alone would block (leaving the page unstyled), so the
 * inline code in index.html is allowed by its hash.
 */
function consoleCsp(html: string): string {
  const handlers = [...html.matchAll(/\son[a-z]+="([^"]*)"/g)].map((match) => match[1] ?? '');
  const scripts = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  const hashes = [...handlers, ...scripts].map(
    (code) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`,
  );
  return [
    `script-src 'self'${handlers.length > 0 ? " 'unsafe-hashes'" : ''}${hashes.map((hash) => ` ${hash}`).join('')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: http: https:",
    "media-src 'self' blob: http: https:",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
