/** Webhook POST bodies as Meta sends them (CLOUD-API.md §2). Unknown fields are tolerated everywhere. */

export interface WebhookPayload {
  object: 'whatsapp_business_account' | string;
  entry: WebhookEntry[];
}

export interface WebhookEntry {
  /** The WABA id. */
  id: string;
  /** Unix seconds, on WABA-level fields only. */
  time?: number;
  changes: WebhookChange[];
}

export type WebhookChange =
  | { field: 'messages'; value: MessagesValue }
  | { field: 'message_template_status_update'; value: TemplateStatusValue }
  | { field: 'message_template_quality_update'; value: TemplateQualityValue }
  | { field: 'template_category_update'; value: TemplateCategoryValue }
  | { field: string; value: Record<string, unknown> };

export interface WebhookMetadata {
  display_phone_number: string;
  phone_number_id: string;
}

export interface WebhookContact {
  profile?: { name?: string; username?: string };
  wa_id?: string;
  user_id?: string;
  identity_key_hash?: string;
}

export interface MetaErrorItem {
  code: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}

export interface MessagesValue {
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: WebhookContact[];
  messages?: InboundMessage[];
  statuses?: StatusUpdate[];
  errors?: MetaErrorItem[];
}

export interface MediaObject {
  id: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  url?: string;
  /** audio: a voice note. */
  voice?: boolean;
  /** sticker: animated WebP. */
  animated?: boolean;
}

export interface LocationObject {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface ContactCard {
  name: {
    formatted_name: string;
    first_name?: string;
    last_name?: string;
    middle_name?: string;
    suffix?: string;
    prefix?: string;
  };
  phones?: { phone?: string; wa_id?: string; type?: string }[];
  emails?: { email?: string; type?: string }[];
  addresses?: Record<string, string>[];
  org?: { company?: string; department?: string; title?: string };
  urls?: { url?: string; type?: string }[];
  birthday?: string;
}

export interface InboundContext {
  from?: string;
  id?: string;
  forwarded?: boolean;
  frequently_forwarded?: boolean;
  referred_product?: { catalog_id: string; product_retailer_id: string };
}

export type InteractiveReply =
  | { type: 'button_reply'; button_reply: { id: string; title: string } }
  | { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } }
  | { type: 'nfm_reply'; nfm_reply: { name?: string; body?: string; response_json: string } }
  | { type: string; [key: string]: unknown };

/** One of `value.messages[]`: common fields plus an object named after `type`. */
export interface InboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: InboundMessageType | string;
  context?: InboundContext;
  referral?: Record<string, unknown>;
  errors?: MetaErrorItem[];
  text?: { body: string };
  image?: MediaObject;
  video?: MediaObject;
  audio?: MediaObject;
  document?: MediaObject;
  sticker?: MediaObject;
  location?: LocationObject;
  contacts?: ContactCard[];
  interactive?: InteractiveReply;
  button?: { payload: string; text: string };
  reaction?: { message_id: string; emoji?: string };
  order?: {
    catalog_id: string;
    text?: string;
    product_items: { product_retailer_id: string; quantity: number; item_price: number; currency: string }[];
  };
  system?: { body: string; wa_id?: string; type?: string };
  unsupported?: { type?: string };
  revoke?: { original_message_id: string };
  edit?: { original_message_id: string; message?: { type?: string; text?: { body: string } } };
}

export const INBOUND_MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'unsupported',
  'request_welcome',
  'revoke',
  'edit',
] as const;
export type InboundMessageType = (typeof INBOUND_MESSAGE_TYPES)[number];

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface Pricing {
  billable?: boolean;
  pricing_model?: 'PMP' | 'CBP' | string;
  type?: 'regular' | 'free_customer_service' | 'free_entry_point' | string;
  category?: string;
}

export interface StatusUpdate {
  id: string;
  status: DeliveryStatus | string;
  timestamp: string;
  recipient_id: string;
  recipient_type?: string;
  biz_opaque_callback_data?: string;
  conversation?: { id: string; expiration_timestamp?: string; origin?: { type: string } };
  pricing?: Pricing;
  errors?: MetaErrorItem[];
}

export interface TemplateStatusValue {
  event: string;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  reason?: string | null;
  message_template_category?: string;
  rejection_info?: { reason?: string; recommendation?: string };
  disable_info?: { disable_date?: string };
  other_info?: { title?: string; description?: string };
}

export interface TemplateQualityValue {
  previous_quality_score?: string;
  new_quality_score: string;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
}

export interface TemplateCategoryValue {
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  new_category: string;
  previous_category?: string;
  correct_category?: string;
}
