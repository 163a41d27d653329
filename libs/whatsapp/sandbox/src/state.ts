import { createHash, randomBytes } from 'node:crypto';

export interface SandboxNumber {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: string;
  throughputMps: number;
}

export interface SandboxWaba {
  wabaId: string;
  name: string;
  appSecret: string;
  accessToken: string;
  /** When the access token stops working, in seconds since the epoch; 0: never (a system user's token). */
  tokenExpiresAt: number;
  /** The permissions granted to the token, as `debug_token` lists them. */
  tokenScopes: string[];
  /** Where webhooks for this WABA are POSTed (the platform's /webhooks/whatsapp/:id). */
  callbackUrl: string;
  verifyToken: string | null;
}

/** What a system user's token for WhatsApp is granted. */
export const WHATSAPP_SCOPES = ['whatsapp_business_management', 'whatsapp_business_messaging'];

/** Whether a WABA's token has passed its expiry at `nowMs`. */
export function tokenExpired(waba: SandboxWaba, nowMs = Date.now()): boolean {
  return waba.tokenExpiresAt > 0 && nowMs >= waba.tokenExpiresAt * 1_000;
}

export interface Customer {
  waId: string;
  name: string;
  /** false: sends to this number fail with 131026. */
  onWhatsApp: boolean;
  /** Per business number: when the customer last wrote (the customer service window). */
  lastInboundAt: Map<string, number>;
}

export type ChatStatus = 'received' | 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** A message in a simulated chat, either direction, as the customer's phone would show it. */
export interface ChatMessage {
  id: string;
  phoneNumberId: string;
  waId: string;
  direction: 'inbound' | 'outbound';
  type: string;
  /** The Meta object: the inbound message, or the business's send body. */
  payload: Record<string, unknown>;
  body: string;
  status: ChatStatus;
  error: { code: number; title: string } | null;
  timestamp: number;
}

export interface SandboxTemplate {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  parameterFormat: 'NAMED' | 'POSITIONAL';
  components: Record<string, unknown>[];
  rejectedReason: string | null;
}

export interface MediaItem {
  id: string;
  /** The business number it belongs to (uploaded by it, or sent to it by a customer). */
  phoneNumberId: string;
  mimeType: string;
  filename: string | null;
  data: Buffer;
  sha256: string;
  createdAt: number;
}

export interface WebhookDelivery {
  id: number;
  wabaId: string;
  url: string;
  /** What the POST carried, for tests and the page. */
  summary: string;
  attempts: number;
  lastStatus: number | null;
  /** Every attempt's HTTP status (null: no answer), oldest first. */
  statuses: (number | null)[];
  delivered: boolean;
  nextAttemptAt: number | null;
}

/** Knobs for demos and chaos tests; `PUT /_sandbox/scenario` changes them at run time. */
export interface Scenario {
  /** Added to every Graph API response. */
  latencyMs: number;
  /** After acceptance: when `sent`, `delivered` and `read` are reported. */
  statusDelaysMs: { sent: number; delivered: number; read: number };
  /** Simulated customers read what they receive. */
  autoRead: boolean;
  /** Fraction of accepted sends that fail later with 131000. */
  failureRate: number;
  /** Fraction of webhooks delivered twice. */
  duplicateRate: number;
  /** Report `read` before `delivered` before `sent`. */
  reorderStatuses: boolean;
  templateReviewDelayMs: number;
  /** Templates whose name matches are REJECTED instead of APPROVED. */
  rejectTemplatePattern: string;
  /** Webhook retries: base delay, doubling per attempt, up to `maxAttempts`. */
  webhookRetry: { baseMs: number; maxAttempts: number };
  /**
   * Meta aggregates updates under load, up to 1,000 a POST. `maxUpdates` 1: every update in a POST of
   * its own, at once. Above 1: at most `inFlight` POSTs to a WABA at a time, the updates that wait
   * meanwhile sent together.
   */
  webhookBatching: { maxUpdates: number; inFlight: number };
  /** Pair rate limit (131056): burst size, and tokens regained per second. */
  pairRateLimit: { burst: number; perSecond: number };
}

export const DEFAULT_SCENARIO: Scenario = {
  latencyMs: 0,
  statusDelaysMs: { sent: 50, delivered: 200, read: 800 },
  autoRead: true,
  failureRate: 0,
  duplicateRate: 0,
  reorderStatuses: false,
  templateReviewDelayMs: 500,
  rejectTemplatePattern: '^reject',
  webhookRetry: { baseMs: 1_000, maxAttempts: 8 },
  webhookBatching: { maxUpdates: 1, inFlight: 8 },
  pairRateLimit: { burst: 45, perSecond: 1 / 6 },
};

/** Everything the sandbox knows, in memory: a restart starts from nothing (the demo registers itself again). */
export class SandboxState {
  readonly wabas = new Map<string, SandboxWaba>();
  readonly numbers = new Map<string, SandboxNumber>();
  readonly customers = new Map<string, Customer>();
  readonly messages: ChatMessage[] = [];
  readonly messagesById = new Map<string, ChatMessage>();
  readonly templates = new Map<string, SandboxTemplate>();
  readonly media = new Map<string, MediaItem>();
  readonly deliveries: WebhookDelivery[] = [];
  /** Sends refused, by Meta's error code (130429 throughput, 131056 pair rate...): what a test asserts there were none of. */
  readonly refusedSends = new Map<number, number>();
  scenario: Scenario = structuredClone(DEFAULT_SCENARIO);

  customer(waId: string, name?: string): Customer {
    let customer = this.customers.get(waId);
    if (!customer) {
      customer = { waId, name: name ?? `Customer ${waId.slice(-4)}`, onWhatsApp: true, lastInboundAt: new Map() };
      this.customers.set(waId, customer);
    } else if (name) {
      customer.name = name;
    }
    return customer;
  }

  record(message: ChatMessage): ChatMessage {
    this.messages.push(message);
    this.messagesById.set(message.id, message);
    return message;
  }

  addMedia(phoneNumberId: string, data: Buffer, mimeType: string, filename: string | null): MediaItem {
    const item: MediaItem = {
      id: numericId(),
      phoneNumberId,
      mimeType,
      filename,
      data,
      sha256: createHash('sha256').update(data).digest('base64'),
      createdAt: Date.now(),
    };
    this.media.set(item.id, item);
    return item;
  }

  wabaOfNumber(phoneNumberId: string): SandboxWaba | undefined {
    const number = this.numbers.get(phoneNumberId);
    return number && this.wabas.get(number.wabaId);
  }

  reset(): void {
    for (const map of [
      this.wabas,
      this.numbers,
      this.customers,
      this.messagesById,
      this.templates,
      this.media,
      this.refusedSends,
    ])
      map.clear();
    this.messages.length = 0;
    this.deliveries.length = 0;
    this.scenario = structuredClone(DEFAULT_SCENARIO);
  }
}

/** A message id shaped like Meta's: `wamid.` and base64. */
export function wamid(): string {
  return `wamid.${randomBytes(24).toString('base64')}`;
}

/** A numeric id like Meta's object ids. */
export function numericId(): string {
  return `${1 + Math.floor(Math.random() * 9)}${Array.from(randomBytes(15), (b) => b % 10).join('')}`;
}
