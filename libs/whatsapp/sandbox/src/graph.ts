import { mediaKindOf, mediaProblem, OutboundContent, outboundProblems } from '@parley/whatsapp/cloud-api';
import express, { NextFunction, Request, Response, Router } from 'express';
import multer from 'multer';
import { graphError, objectNotFound, SandboxContext } from './context';
import { digits, failureOf, readableOutbound, scheduleStatuses } from './outbound';
import { SandboxTemplate, SandboxWaba, tokenExpired, wamid } from './state';
import { addTemplate, findTemplateOf, parseTemplate } from './templates';

/** The statuses Meta lets a template be edited in. */
const EDITABLE_STATUSES = ['APPROVED', 'REJECTED', 'PAUSED'];

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 100 * 1024 * 1024 } });

/** The token check Meta does: the bearer must be the owning WABA's token (190 otherwise). */
function authorized(req: Request, res: Response, waba: SandboxWaba | undefined, id: string): waba is SandboxWaba {
  if (!waba) {
    objectNotFound(res, id);
    return false;
  }
  const token = (req.header('authorization') ?? '').replace(/^Bearer\s+/i, '');
  if (token !== waba.accessToken) {
    graphError(
      res,
      401,
      190,
      'Error validating access token: the session is invalid or the token does not match this business account.',
    );
    return false;
  }
  if (tokenExpired(waba)) {
    graphError(res, 401, 190, expiredMessage(waba), 463);
    return false;
  }
  return true;
}

const expiredMessage = (waba: SandboxWaba) =>
  `Error validating access token: Session has expired on ${new Date(waba.tokenExpiresAt * 1_000).toUTCString()}.`;

/**
 * `GET /debug_token?input_token=`: what Meta knows of a token, asked with the app's access token
 * (`{app-id}|{app-secret}`, as `access_token` or the bearer). An unknown or expired token is
 * answered, not refused: `is_valid: false` with the reason.
 */
function debugToken(state: SandboxContext['state'], req: Request, res: Response): void {
  const appToken =
    String(req.query['access_token'] ?? '') || (req.header('authorization') ?? '').replace(/^Bearer\s+/i, '');
  const [appId, appSecret] = appToken.split('|');
  if (!appId || !/^\d+$/.test(appId) || !appSecret || ![...state.wabas.values()].some((w) => w.appSecret === appSecret))
    return graphError(res, 400, 190, 'Invalid OAuth access token signature.');
  const waba = [...state.wabas.values()].find((w) => w.accessToken === String(req.query['input_token'] ?? ''));
  if (!waba || waba.appSecret !== appSecret) {
    return void res.json({
      data: { is_valid: false, scopes: [], error: { code: 190, message: 'Invalid OAuth access token.' } },
    });
  }
  const expired = tokenExpired(waba);
  res.json({
    data: {
      app_id: appId,
      type: 'SYSTEM_USER',
      application: 'Parley sandbox',
      data_access_expires_at: 0,
      expires_at: waba.tokenExpiresAt,
      is_valid: !expired,
      scopes: waba.tokenScopes,
      granular_scopes: waba.tokenScopes.map((scope) => ({ scope, target_ids: [waba.wabaId] })),
      user_id: `1000${waba.wabaId}`,
      ...(expired && { error: { code: 190, subcode: 463, message: expiredMessage(waba) } }),
    },
  });
}

/** The Graph API surface, mounted under any `/vNN.N` prefix. */
export function graphRouter(ctx: SandboxContext): Router {
  const router = Router();
  const { state } = ctx;
  router.use(express.json({ limit: '5mb' }));
  router.use((_req: Request, _res: Response, next: NextFunction) => {
    const latency = state.scenario.latencyMs;
    if (latency > 0) setTimeout(next, latency);
    else next();
  });

  router.post('/:phoneNumberId/messages', (req: Request, res: Response) => {
    const phoneNumberId = String(req.params['phoneNumberId']);
    const number = state.numbers.get(phoneNumberId);
    if (!authorized(req, res, number && state.wabas.get(number.wabaId), phoneNumberId) || !number) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    /** Meta's error answer, counted by code for the control API. */
    const refuse = (response: Response, status: number, code: number, details: string) => {
      state.refusedSends.set(code, (state.refusedSends.get(code) ?? 0) + 1);
      graphError(response, status, code, details);
    };
    if (body['messaging_product'] !== 'whatsapp')
      return refuse(res, 400, 100, 'The parameter messaging_product is required and must be "whatsapp".');

    if (body['status'] === 'read') {
      const message = state.messagesById.get(String(body['message_id']));
      if (!message || message.phoneNumberId !== phoneNumberId || message.direction !== 'inbound') {
        return refuse(res, 400, 100, `Invalid parameter message_id: ${String(body['message_id'])}`);
      }
      for (const m of state.messages)
        if (
          m.direction === 'inbound' &&
          m.waId === message.waId &&
          m.phoneNumberId === phoneNumberId &&
          m.timestamp <= message.timestamp
        )
          m.status = 'read';
      return void res.json({ success: true });
    }

    if (typeof body['to'] !== 'string' || digits(body['to']).length < 5)
      return refuse(res, 400, 131008, 'Required parameter is missing or invalid: to');
    if (typeof body['type'] !== 'string') return refuse(res, 400, 131008, 'Required parameter is missing: type');
    const content = body as unknown as OutboundContent;
    const problem = outboundProblems(content)[0];
    if (problem) return refuse(res, 400, 100, `Invalid parameter ${problem.field}: ${problem.message}`);
    if (!ctx.throughput.tryTake(phoneNumberId, number.throughputMps))
      return refuse(res, 400, 130429, 'Cloud API message throughput has been reached.');

    const waId = digits(body['to']);
    const { burst, perSecond } = state.scenario.pairRateLimit;
    if (!ctx.pairs.tryTake(`${phoneNumberId}:${waId}`, burst, perSecond)) {
      return refuse(
        res,
        400,
        131056,
        'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
      );
    }
    const context = body['context'] as { message_id?: string } | undefined;
    const message = state.record({
      id: wamid(),
      phoneNumberId,
      waId,
      direction: 'outbound',
      type: content.type,
      payload: { ...body, ...(context?.message_id && { context }) },
      body: readableOutbound(ctx, number, content),
      status: 'accepted',
      error: null,
      timestamp: Date.now(),
    });
    state.customer(waId);
    scheduleStatuses(ctx, number, message, content, failureOf(ctx, number, waId, content));
    res.json({
      messaging_product: 'whatsapp',
      contacts: [{ input: body['to'], wa_id: waId }],
      messages: [{ id: message.id, message_status: 'accepted' }],
    });
  });

  router.post('/:phoneNumberId/media', upload.single('file'), (req: Request, res: Response) => {
    const phoneNumberId = String(req.params['phoneNumberId']);
    const number = state.numbers.get(phoneNumberId);
    if (!authorized(req, res, number && state.wabas.get(number.wabaId), phoneNumberId)) return;
    const body = (req.body ?? {}) as Record<string, string>;
    if (body['messaging_product'] !== 'whatsapp')
      return graphError(res, 400, 100, 'The parameter messaging_product is required.');
    if (!req.file) return graphError(res, 400, 100, 'The parameter file is required.');
    const mimeType = body['type'] || req.file.mimetype;
    const kind = mediaKindOf(mimeType);
    const problem = kind
      ? mediaProblem(kind, mimeType, req.file.size)
      : `${mimeType} is not a media type WhatsApp accepts`;
    if (problem) return graphError(res, 400, 131053, problem);
    const item = state.addMedia(phoneNumberId, req.file.buffer, mimeType, req.file.originalname || null);
    res.json({ id: item.id });
  });

  router.get('/:wabaId/message_templates', (req: Request, res: Response) => {
    const wabaId = String(req.params['wabaId']);
    if (!authorized(req, res, state.wabas.get(wabaId), wabaId)) return;
    const limit = Math.min(Math.max(Number(req.query['limit'] ?? 25) || 25, 1), 1_000);
    const offset = req.query['after']
      ? Number(Buffer.from(String(req.query['after']), 'base64url').toString()) || 0
      : 0;
    const all = [...state.templates.values()]
      .filter((t) => t.wabaId === wabaId)
      .filter((t) => !req.query['name'] || t.name === req.query['name'])
      .filter((t) => !req.query['status'] || t.status === String(req.query['status']).toUpperCase());
    const page = all.slice(offset, offset + limit);
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    const more = offset + limit < all.length;
    res.json({
      data: page.map(templateInfo),
      paging: {
        cursors: { before: cursor(offset), after: cursor(offset + page.length) },
        ...(more && {
          next: `${ctx.publicUrl}${req.baseUrl}${req.path}?limit=${limit}&after=${cursor(offset + page.length)}`,
        }),
      },
    });
  });

  router.post('/:wabaId/message_templates', (req: Request, res: Response) => {
    const wabaId = String(req.params['wabaId']);
    const waba = state.wabas.get(wabaId);
    if (!authorized(req, res, waba, wabaId) || !waba) return;
    const input = parseTemplate((req.body ?? {}) as Record<string, unknown>);
    if (typeof input === 'string') return graphError(res, 400, 100, input);
    if (findTemplateOf(state, wabaId, input.name, input.language)) {
      return graphError(
        res,
        400,
        100,
        `Message template "${input.name}" already exists in ${input.language}.`,
        2388024,
      );
    }
    const template = addTemplate(state, wabaId, input, 'PENDING');
    ctx.later(state.scenario.templateReviewDelayMs, () => reviewTemplate(ctx, waba, template));
    res.json({ id: template.id, status: template.status, category: template.category });
  });

  router.delete('/:wabaId/message_templates', (req: Request, res: Response) => {
    const wabaId = String(req.params['wabaId']);
    if (!authorized(req, res, state.wabas.get(wabaId), wabaId)) return;
    const name = String(req.query['name'] ?? '');
    const hsmId = req.query['hsm_id'] ? String(req.query['hsm_id']) : null;
    const doomed = [...state.templates.values()].filter(
      (t) => t.wabaId === wabaId && t.name === name && (!hsmId || t.id === hsmId),
    );
    if (doomed.length === 0) return graphError(res, 400, 100, `Message template "${name}" not found.`);
    for (const template of doomed) state.templates.delete(template.id);
    res.json({ success: true });
  });

  router.get('/debug_token', (req: Request, res: Response) => debugToken(state, req, res));

  router.get('/:wabaId/phone_numbers', (req: Request, res: Response) => {
    const wabaId = String(req.params['wabaId']);
    if (!authorized(req, res, state.wabas.get(wabaId), wabaId)) return;
    const data = [...state.numbers.values()].filter((n) => n.wabaId === wabaId).map(phoneNumberInfo);
    res.json({ data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } });
  });

  router.get('/:id', (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const media = state.media.get(id);
    if (media) {
      if (!authorized(req, res, state.wabaOfNumber(media.phoneNumberId), id)) return;
      return void res.json({
        messaging_product: 'whatsapp',
        url: ctx.mediaUrl(id),
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: String(media.data.length),
        id,
      });
    }
    const template = state.templates.get(id);
    if (template) {
      if (!authorized(req, res, state.wabas.get(template.wabaId), id)) return;
      return void res.json(templateInfo(template));
    }
    const number = state.numbers.get(id);
    if (number) {
      if (!authorized(req, res, state.wabas.get(number.wabaId), id)) return;
      return void res.json(phoneNumberInfo(number));
    }
    const waba = state.wabas.get(id);
    if (!authorized(req, res, waba, id) || !waba) return;
    res.json({ id: waba.wabaId, name: waba.name, timezone_id: '1', message_template_namespace: `ns_${waba.wabaId}` });
  });

  // Meta's template edit: components (all replaced) and category; the template goes back to review.
  router.post('/:id', (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const template = state.templates.get(id);
    const waba = template && state.wabas.get(template.wabaId);
    if (!authorized(req, res, waba, id) || !template || !waba) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!EDITABLE_STATUSES.includes(template.status)) {
      return graphError(
        res,
        400,
        100,
        `Message template "${template.name}" is ${template.status}: only APPROVED, REJECTED or PAUSED templates can be edited.`,
      );
    }
    if (body['components'] === undefined && body['category'] === undefined)
      return graphError(res, 400, 100, 'The parameter components or category is required.');
    const category = body['category'] === undefined ? template.category : String(body['category']).toUpperCase();
    if (category !== template.category && template.status === 'APPROVED')
      return graphError(res, 400, 100, 'The category of an approved message template cannot be edited.');
    const input = parseTemplate({
      name: template.name,
      language: template.language,
      category,
      parameter_format: template.parameterFormat,
      components: body['components'] ?? template.components,
    });
    if (typeof input === 'string') return graphError(res, 400, 100, input);
    template.components = structuredClone(input.components);
    template.category = input.category;
    template.status = 'PENDING';
    template.rejectedReason = null;
    ctx.later(state.scenario.templateReviewDelayMs, () => reviewTemplate(ctx, waba, template));
    res.json({ success: true });
  });

  router.delete('/:id', (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const media = state.media.get(id);
    if (!authorized(req, res, media && state.wabaOfNumber(media.phoneNumberId), id)) return;
    state.media.delete(id);
    res.json({ success: true });
  });

  router.use((req: Request, res: Response) => graphError(res, 400, 100, `Unknown path components: ${req.path}`));
  return router;
}

function templateInfo(template: SandboxTemplate) {
  return {
    id: template.id,
    name: template.name,
    language: template.language,
    status: template.status,
    category: template.category,
    parameter_format: template.parameterFormat,
    components: template.components,
    ...(template.rejectedReason && { rejected_reason: template.rejectedReason }),
  };
}

function phoneNumberInfo(number: {
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: string;
  throughputMps: number;
}) {
  return {
    id: number.phoneNumberId,
    display_phone_number: number.displayPhoneNumber,
    verified_name: number.verifiedName,
    quality_rating: number.qualityRating,
    code_verification_status: 'VERIFIED',
    platform_type: 'CLOUD_API',
    status: 'CONNECTED',
    throughput: { level: number.throughputMps > 80 ? 'HIGH' : 'STANDARD' },
  };
}

/** Meta reviews new templates: APPROVED, or REJECTED for names the scenario marks; both by webhook. */
function reviewTemplate(ctx: SandboxContext, waba: SandboxWaba, template: SandboxTemplate): void {
  if (!ctx.state.templates.has(template.id)) return;
  const rejected = new RegExp(ctx.state.scenario.rejectTemplatePattern).test(template.name);
  template.status = rejected ? 'REJECTED' : 'APPROVED';
  template.rejectedReason = rejected ? 'INVALID_FORMAT' : null;
  ctx.webhooks.send(waba, [
    {
      field: 'message_template_status_update',
      value: {
        event: template.status,
        message_template_id: Number(template.id),
        message_template_name: template.name,
        message_template_language: template.language,
        reason: rejected ? 'INVALID_FORMAT' : 'NONE',
        message_template_category: template.category,
        ...(rejected && {
          rejection_info: {
            reason: 'The sandbox rejects template names matching its scenario pattern.',
            recommendation: 'Rename the template.',
          },
        }),
      },
    },
  ]);
}
