import { GraphApiError } from './errors';
import { requestText, TextResponse } from './http-request';
import type {
  CreateTemplateBody,
  MediaInfo,
  OutboundContent,
  Paging,
  PhoneNumberInfo,
  SendMessageResponse,
  TemplateInfo,
  TokenInfo,
} from './types/send';

export interface CloudApiClientOptions {
  /** `https://graph.facebook.com` in production; the sandbox's address locally. */
  baseUrl: string;
  /** Graph API version, such as `v23.0`. */
  version: string;
  accessToken: string;
  timeoutMs?: number;
}

export interface SendResult {
  waMessageId: string;
  /** The WhatsApp id Meta resolved the recipient to (may differ from what was sent). */
  waId: string | null;
  messageStatus: string | null;
}

/** A message to send: any type's content, the recipient, and optionally the message it replies to. */
export type SendMessageInput = OutboundContent & {
  to: string;
  context?: { message_id: string };
  biz_opaque_callback_data?: string;
};

type Body = { json: unknown } | { form: FormData } | undefined;

/** Connection errors that mean the request never reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Where Meta serves media downloads (lookaside.fbsbx.com today). */
const META_MEDIA_HOSTS = ['.fbsbx.com', '.facebook.com', '.whatsapp.net'];

/**
 * The WhatsApp Cloud API (Graph API) client used by the api, the worker and the sandbox's tests.
 * Every failure is a `GraphApiError` carrying Meta's code, title, details and whether to retry.
 */
export class CloudApiClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: CloudApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async sendMessage(phoneNumberId: string, message: SendMessageInput): Promise<SendResult> {
    const response = await this.call<SendMessageResponse>('POST', `${phoneNumberId}/messages`, {
      json: { messaging_product: 'whatsapp', recipient_type: 'individual', ...message },
    });
    const sent = response.messages?.[0];
    if (!sent?.id) throw new GraphApiError(null, 'Send answered without a message id', null, 200);
    return {
      waMessageId: sent.id,
      waId: response.contacts?.[0]?.wa_id ?? null,
      messageStatus: sent.message_status ?? null,
    };
  }

  /** Marks an inbound message (and those before it) read; optionally shows the typing indicator for up to 25 s. */
  async markRead(phoneNumberId: string, waMessageId: string, options: { typing?: boolean } = {}): Promise<void> {
    await this.call('POST', `${phoneNumberId}/messages`, {
      json: {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: waMessageId,
        ...(options.typing && { typing_indicator: { type: 'text' } }),
      },
    });
  }

  async uploadMedia(
    phoneNumberId: string,
    file: { data: Uint8Array; mimeType: string; filename: string },
  ): Promise<{ id: string }> {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', file.mimeType);
    form.set('file', new Blob([file.data], { type: file.mimeType }), file.filename);
    return this.call<{ id: string }>('POST', `${phoneNumberId}/media`, { form });
  }

  /** A media item's metadata and a short-lived download URL (which needs this client's token). */
  getMedia(mediaId: string): Promise<MediaInfo> {
    return this.call<MediaInfo>('GET', mediaId);
  }

  /**
   * Downloads from a URL `getMedia` returned. The token only goes to Meta's hosts or this client's
   * own base URL; a body larger than `maxBytes` is cut off with an error, never read whole.
   */
  async downloadMedia(
    url: string,
    options: { maxBytes?: number } = {},
  ): Promise<{ data: Buffer; contentType: string }> {
    if (!this.mayReceiveToken(url))
      throw new GraphApiError(null, `Refusing to send the access token to ${new URL(url).host}`, null, 400);
    const response = await this.fetch('GET', url);
    if (!response.ok) throw GraphApiError.fromResponse(response.status, parseBody(await response.text()));
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new GraphApiError(131052, `Media download error: larger than ${maxBytes} bytes`, null, response.status);
      }
      chunks.push(chunk);
    }
    return {
      data: Buffer.concat(chunks),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  async deleteMedia(mediaId: string): Promise<void> {
    await this.call('DELETE', mediaId);
  }

  /** One page of a WABA's templates, optionally only those of one name (every language). */
  listTemplates(
    wabaId: string,
    page: { limit?: number; after?: string; name?: string } = {},
  ): Promise<{ data: TemplateInfo[]; paging?: Paging }> {
    const query = new URLSearchParams({
      limit: String(page.limit ?? 100),
      ...(page.after && { after: page.after }),
      ...(page.name && { name: page.name }),
    });
    return this.call('GET', `${wabaId}/message_templates?${query}`);
  }

  /** Every template of a WABA, following Meta's cursor paging to the end. */
  async listAllTemplates(wabaId: string): Promise<TemplateInfo[]> {
    const all: TemplateInfo[] = [];
    let after: string | undefined;
    do {
      const page = await this.listTemplates(wabaId, { after });
      all.push(...page.data);
      after = page.paging?.next ? page.paging.cursors?.after : undefined;
    } while (after);
    return all;
  }

  createTemplate(wabaId: string, body: CreateTemplateBody): Promise<{ id: string; status: string; category: string }> {
    return this.call('POST', `${wabaId}/message_templates`, { json: body });
  }

  /**
   * Edits a submitted template (`POST /{template-id}`): its components (all of them, replaced) and
   * its category (not for APPROVED templates). Meta reviews it again.
   */
  async editTemplate(
    templateId: string,
    body: { components?: Record<string, unknown>[]; category?: string },
  ): Promise<void> {
    await this.call('POST', templateId, { json: body });
  }

  /** Deletes every language of a template name, or one template when its id is given. */
  async deleteTemplate(wabaId: string, template: { name: string; id?: string }): Promise<void> {
    const query = new URLSearchParams({ name: template.name, ...(template.id && { hsm_id: template.id }) });
    await this.call('DELETE', `${wabaId}/message_templates?${query}`);
  }

  async listPhoneNumbers(wabaId: string): Promise<PhoneNumberInfo[]> {
    return (await this.call<{ data: PhoneNumberInfo[] }>('GET', `${wabaId}/phone_numbers`)).data;
  }

  /** The WABA as this token sees it: proves the token can reach it. */
  getBusinessAccount(wabaId: string): Promise<{ id: string; name?: string }> {
    return this.call('GET', `${wabaId}?fields=id,name`);
  }

  /**
   * What Meta knows of this client's token (`GET /debug_token`): valid or not and why, when it
   * expires, its permissions. Asked with the Meta app's access token, `{app-id}|{app-secret}`.
   */
  async inspectToken(app: { appId: string; appSecret: string }): Promise<TokenInfo> {
    const query = new URLSearchParams({ input_token: this.options.accessToken });
    return (
      await this.call<{ data: TokenInfo }>('GET', `debug_token?${query}`, undefined, `${app.appId}|${app.appSecret}`)
    ).data;
  }

  private mayReceiveToken(url: string): boolean {
    const target = new URL(url);
    return (
      target.origin === new URL(this.baseUrl).origin ||
      META_MEDIA_HOSTS.some((domain) => target.protocol === 'https:' && target.hostname.endsWith(domain))
    );
  }

  /**
   * A Graph API call: JSON (or nothing) over `requestText`, a multipart form over `fetch`. Meta's
   * error answers become `GraphApiError`s.
   */
  private async call<T = unknown>(
    method: string,
    path: string,
    body?: Body,
    bearer = this.options.accessToken,
  ): Promise<T> {
    const url = `${this.baseUrl}/${this.options.version}/${path}`;
    let response: TextResponse;
    if (body && 'form' in body) {
      const answer = await this.fetch(method, url, body.form, bearer);
      response = { status: answer.status, text: await answer.text() };
    } else {
      const headers: Record<string, string> = { authorization: `Bearer ${bearer}` };
      if (body) headers['content-type'] = 'application/json';
      const payload = body && JSON.stringify(body.json);
      response = await this.reach(() => requestText(method, url, headers, payload, this.timeoutMs));
    }
    const parsed = parseBody(response.text);
    if (response.status < 200 || response.status > 299) throw GraphApiError.fromResponse(response.status, parsed);
    return parsed as T;
  }

  /** Uploads and downloads, whose bodies stream: `fetch`. */
  private fetch(method: string, url: string, form?: FormData, bearer = this.options.accessToken): Promise<Response> {
    return this.reach(() =>
      fetch(url, {
        method,
        headers: { authorization: `Bearer ${bearer}` },
        body: form,
        signal: AbortSignal.timeout(this.timeoutMs),
      }),
    );
  }

  /** Runs a request; a failure to get an answer becomes a retryable `GraphApiError`, with whether it may have landed. */
  private async reach<R>(request: () => Promise<R>): Promise<R> {
    try {
      return await request();
    } catch (error) {
      // Duck-typed: fetch rejects with a DOMException on timeout, which is not always an Error of this realm.
      const failure = error as {
        name?: string;
        message?: string;
        code?: string;
        cause?: { message?: string; code?: string };
      };
      const timedOut = failure.name === 'TimeoutError' || failure.name === 'AbortError';
      const reason = timedOut
        ? `timed out after ${this.timeoutMs} ms`
        : (failure.cause?.message ?? failure.message ?? String(error));
      // Refused or unresolvable: the request never left. A timeout or a cut connection: it may have landed.
      const neverSent = !timedOut && NEVER_SENT.has(failure.code ?? failure.cause?.code ?? '');
      throw new GraphApiError(null, `Graph API unreachable: ${reason}`, null, null, null, null, !neverSent);
    }
  }
}

/** Meta's JSON answer, or the text itself when it is not JSON (a proxy's error page). */
function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
