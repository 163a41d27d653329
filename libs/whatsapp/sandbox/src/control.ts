import { INBOUND_MESSAGE_TYPES } from '@parley/whatsapp/cloud-api';
import express, { Request, Response, Router } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { SandboxContext } from './context';
import { InboundRequest, sendInbound } from './inbound';
import { digits } from './outbound';
import { DEFAULT_SCENARIO, Scenario, SandboxNumber, WHATSAPP_SCOPES } from './state';
import { addTemplate, HELLO_WORLD, parseTemplate } from './templates';

type Json = Record<string, unknown>;

class BadRequest extends Error {}

function text(body: Json, key: string, required = true): string | undefined {
  const value = body[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new BadRequest(`${key} must be a non-empty string`);
  return value.trim();
}

function numberIn(body: Json, key: string, min: number, max: number): number | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new BadRequest(`${key} must be a number from ${min} to ${max}`);
  return value;
}

/** Copies into `target` the keys of `patch` that `target` has, with the same types; anything else is a 400. */
function merge(target: Json, patch: Json, path = ''): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    const at = `${path}${key}`;
    if (current === undefined) throw new BadRequest(`${at} is not a scenario setting`);
    if (typeof current === 'object' && current !== null) {
      if (typeof value !== 'object' || value === null) throw new BadRequest(`${at} must be an object`);
      merge(current as Json, value as Json, `${at}.`);
    } else if (typeof value !== typeof current) {
      throw new BadRequest(`${at} must be a ${typeof current}`);
    } else {
      target[key] = value;
    }
  }
}

/**
 * The sandbox's own API under `/_sandbox`: register WABAs and numbers, act as customers, read
 * chats, change the scenario. For tests and demos on a trusted network; set SANDBOX_CONTROL_TOKEN
 * to require `Authorization: Bearer <token>`.
 */
export function controlRouter(ctx: SandboxContext, controlToken: string | undefined): Router {
  const router = Router();
  const { state } = ctx;
  router.use(express.json({ limit: '20mb' }));
  router.use((req: Request, res: Response, next) => {
    if (!controlToken || req.path.startsWith('/media-files/')) return next();
    const given = Buffer.from((req.header('authorization') ?? '').replace(/^Bearer\s+/i, ''));
    const expected = Buffer.from(controlToken);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).json({ error: 'the sandbox control API needs its token' });
  });

  const handle = (fn: (req: Request, res: Response) => unknown) => (req: Request, res: Response) => {
    try {
      const result = fn(req, res);
      if (result !== undefined && !res.headersSent) res.json(result);
    } catch (error) {
      if (error instanceof BadRequest) res.status(400).json({ error: error.message });
      else throw error;
    }
  };

  router.get(
    '/health',
    handle(() => ({
      status: 'ok',
      wabas: state.wabas.size,
      customers: state.customers.size,
      messages: state.messages.length,
      refusedSends: Object.fromEntries(state.refusedSends),
    })),
  );

  router.post(
    '/wabas',
    handle((req) => {
      const body = (req.body ?? {}) as Json;
      const wabaId = text(body, 'wabaId') as string;
      const waba = {
        wabaId,
        name: text(body, 'name', false) ?? `Sandbox WABA ${wabaId}`,
        appSecret: text(body, 'appSecret') as string,
        accessToken: text(body, 'accessToken') as string,
        tokenExpiresAt: numberIn(body, 'tokenExpiresAt', 0, 1e10) ?? 0,
        tokenScopes: [...WHATSAPP_SCOPES],
        callbackUrl: text(body, 'callbackUrl') as string,
        verifyToken: text(body, 'verifyToken', false) ?? null,
      };
      if (!/^https?:\/\//.test(waba.callbackUrl)) throw new BadRequest('callbackUrl must be an http(s) URL');
      // Templates to start with, already approved (Meta's review is skipped); checked before anything is stored.
      if (body['templates'] !== undefined && !Array.isArray(body['templates']))
        throw new BadRequest('templates must be an array');
      const templates = ((body['templates'] ?? []) as Json[]).map((t, i) => {
        const parsed = parseTemplate(typeof t === 'object' && t !== null ? t : {});
        if (typeof parsed === 'string') throw new BadRequest(`templates[${i}]: ${parsed}`);
        return parsed;
      });
      state.wabas.set(wabaId, waba);
      const numbers = Array.isArray(body['phoneNumbers']) ? (body['phoneNumbers'] as Json[]) : [];
      numbers.forEach((n) => addNumber(wabaId, n));
      // Like Meta, every WABA has the approved sample template.
      for (const template of [HELLO_WORLD, ...templates]) addTemplate(state, wabaId, template, 'APPROVED');
      return {
        wabaId,
        name: waba.name,
        callbackUrl: waba.callbackUrl,
        phoneNumbers: numbersOf(wabaId),
        templates: [...state.templates.values()]
          .filter((t) => t.wabaId === wabaId)
          .map((t) => ({ id: t.id, name: t.name, language: t.language, status: t.status })),
      };
    }),
  );

  const addNumber = (wabaId: string, body: Json): SandboxNumber => {
    const number: SandboxNumber = {
      phoneNumberId: text(body, 'phoneNumberId') as string,
      wabaId,
      displayPhoneNumber: text(body, 'displayPhoneNumber') as string,
      verifiedName: text(body, 'verifiedName', false) ?? 'Sandbox Business',
      qualityRating: text(body, 'qualityRating', false) ?? 'GREEN',
      throughputMps: numberIn(body, 'throughputMps', 1, 10_000) ?? 80,
    };
    const existing = state.numbers.get(number.phoneNumberId);
    if (existing && existing.wabaId !== wabaId)
      throw new BadRequest(`phone number ${number.phoneNumberId} belongs to WABA ${existing.wabaId}`);
    state.numbers.set(number.phoneNumberId, number);
    return number;
  };
  const numbersOf = (wabaId: string) => [...state.numbers.values()].filter((n) => n.wabaId === wabaId);

  router.get(
    '/wabas',
    handle(() => ({
      data: [...state.wabas.values()].map((w) => ({
        wabaId: w.wabaId,
        name: w.name,
        callbackUrl: w.callbackUrl,
        phoneNumbers: numbersOf(w.wabaId),
      })),
    })),
  );

  router.post(
    '/wabas/:wabaId/phone-numbers',
    handle((req, res) => {
      const wabaId = String(req.params['wabaId']);
      if (!state.wabas.has(wabaId)) return res.status(404).json({ error: `unknown WABA ${wabaId}` });
      return addNumber(wabaId, (req.body ?? {}) as Json);
    }),
  );

  // Ages, revokes or replaces a WABA's access token, for token health checks: `expiresAt` in
  // seconds since the epoch (0: never), `scopes` as debug_token lists them.
  router.put(
    '/wabas/:wabaId/token',
    handle((req, res) => {
      const waba = state.wabas.get(String(req.params['wabaId']));
      if (!waba) return res.status(404).json({ error: `unknown WABA ${String(req.params['wabaId'])}` });
      const body = (req.body ?? {}) as Json;
      waba.accessToken = text(body, 'accessToken', false) ?? waba.accessToken;
      waba.tokenExpiresAt = numberIn(body, 'expiresAt', 0, 1e10) ?? waba.tokenExpiresAt;
      if (body['scopes'] !== undefined) {
        if (!Array.isArray(body['scopes']) || body['scopes'].some((scope) => typeof scope !== 'string'))
          throw new BadRequest('scopes must be an array of strings');
        waba.tokenScopes = body['scopes'] as string[];
      }
      return { wabaId: waba.wabaId, expiresAt: waba.tokenExpiresAt, scopes: waba.tokenScopes };
    }),
  );

  router.patch(
    '/phone-numbers/:id',
    handle((req, res) => {
      const number = state.numbers.get(String(req.params['id']));
      if (!number) return res.status(404).json({ error: 'unknown phone number' });
      number.throughputMps = numberIn((req.body ?? {}) as Json, 'throughputMps', 1, 10_000) ?? number.throughputMps;
      return number;
    }),
  );

  router.get(
    '/customers',
    handle(() => ({
      data: [...state.customers.values()].map((customer) => {
        const last = [...state.messages].reverse().find((m) => m.waId === customer.waId);
        return {
          waId: customer.waId,
          name: customer.name,
          onWhatsApp: customer.onWhatsApp,
          lastMessage: last
            ? {
                body: last.body,
                direction: last.direction,
                timestamp: last.timestamp,
                phoneNumberId: last.phoneNumberId,
              }
            : null,
        };
      }),
    })),
  );

  router.put(
    '/customers/:waId',
    handle((req) => {
      const body = (req.body ?? {}) as Json;
      const customer = state.customer(digits(String(req.params['waId'])), text(body, 'name', false));
      if (body['onWhatsApp'] !== undefined) {
        if (typeof body['onWhatsApp'] !== 'boolean') throw new BadRequest('onWhatsApp must be a boolean');
        customer.onWhatsApp = body['onWhatsApp'];
      }
      return { waId: customer.waId, name: customer.name, onWhatsApp: customer.onWhatsApp };
    }),
  );

  router.post(
    '/inbound',
    handle((req, res) => {
      const body = (req.body ?? {}) as InboundRequest;
      text(body, 'phoneNumberId');
      text(body, 'from');
      if (!(INBOUND_MESSAGE_TYPES as readonly string[]).includes(String(body.type)))
        throw new BadRequest(`type must be one of ${INBOUND_MESSAGE_TYPES.join(', ')}`);
      if (!state.numbers.has(body.phoneNumberId))
        return res.status(404).json({ error: `unknown phone number ${body.phoneNumberId}` });
      if (body.type === 'text' && typeof body['text'] === 'string') body['text'] = { body: body['text'] };
      return sendInbound(ctx, body);
    }),
  );

  router.get(
    '/chats/:phoneNumberId/:waId',
    handle((req) => ({
      data: state.messages.filter(
        (m) => m.phoneNumberId === req.params['phoneNumberId'] && m.waId === digits(String(req.params['waId'])),
      ),
    })),
  );

  router.get(
    '/messages',
    handle((req) => {
      const { to, phoneNumberId, direction } = req.query as Record<string, string | undefined>;
      return {
        data: state.messages.filter(
          (m) =>
            (!to || m.waId === digits(to)) &&
            (!phoneNumberId || m.phoneNumberId === phoneNumberId) &&
            (!direction || m.direction === direction),
        ),
      };
    }),
  );

  router.get(
    '/scenario',
    handle(() => state.scenario),
  );
  router.put(
    '/scenario',
    handle((req) => {
      const next = structuredClone(state.scenario) as unknown as Json;
      merge(next, (req.body ?? {}) as Json);
      const scenario = next as unknown as Scenario;
      for (const rate of [scenario.failureRate, scenario.duplicateRate])
        if (rate < 0 || rate > 1) throw new BadRequest('rates must be between 0 and 1');
      const { maxUpdates, inFlight } = scenario.webhookBatching;
      if (!(Number.isInteger(maxUpdates) && maxUpdates >= 1 && maxUpdates <= 1_000))
        throw new BadRequest('webhookBatching.maxUpdates must be a whole number from 1 to 1000');
      if (!(Number.isInteger(inFlight) && inFlight >= 1))
        throw new BadRequest('webhookBatching.inFlight must be a whole number from 1');
      try {
        new RegExp(scenario.rejectTemplatePattern);
      } catch {
        throw new BadRequest('rejectTemplatePattern must be a regular expression');
      }
      state.scenario = scenario;
      return scenario;
    }),
  );
  router.delete(
    '/scenario',
    handle(() => (state.scenario = structuredClone(DEFAULT_SCENARIO))),
  );

  router.get(
    '/webhook-deliveries',
    handle(() => ({ data: state.deliveries })),
  );

  router.post(
    '/reset',
    handle(() => {
      ctx.reset();
      return { reset: true };
    }),
  );

  router.get('/media-files/:id', (req: Request, res: Response) => {
    const media = state.media.get(String(req.params['id']));
    const expires = Number(req.query['expires']);
    const waba = media && state.wabaOfNumber(media.phoneNumberId);
    if (!media || !waba || !(expires > Date.now()) || ctx.mediaSignature(media.id, expires) !== req.query['sig']) {
      res.status(404).json({ error: 'URL expired or unknown: fetch a new one with GET /{media-id}' });
      return;
    }
    if ((req.header('authorization') ?? '').replace(/^Bearer\s+/i, '') !== waba.accessToken) {
      res.status(401).json({ error: 'the media URL needs the access token' });
      return;
    }
    res.type(media.mimeType).send(media.data);
  });

  return router;
}
