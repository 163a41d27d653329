/** Send API bodies (CLOUD-API.md §3): `POST /{version}/{phone-number-id}/messages`. */

export type MediaRef = { id: string; link?: never } | { link: string; id?: never };

export type TextHeader = { type: 'text'; text: string };
export type MediaHeader =
  | { type: 'image'; image: MediaRef }
  | { type: 'video'; video: MediaRef }
  | { type: 'document'; document: MediaRef & { filename?: string } };

export interface ReplyButtonsInteractive {
  type: 'button';
  header?: TextHeader | MediaHeader;
  body: { text: string };
  footer?: { text: string };
  action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
}

export interface ListInteractive {
  type: 'list';
  header?: TextHeader;
  body: { text: string };
  footer?: { text: string };
  action: {
    button: string;
    sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
  };
}

export interface CtaUrlInteractive {
  type: 'cta_url';
  header?: TextHeader | MediaHeader;
  body: { text: string };
  footer?: { text: string };
  action: { name: 'cta_url'; parameters: { display_text: string; url: string } };
}

export type Interactive = ReplyButtonsInteractive | ListInteractive | CtaUrlInteractive;

export type TemplateParameter =
  | { type: 'text'; text: string; parameter_name?: string }
  | {
      type: 'currency';
      currency: { fallback_value: string; code: string; amount_1000: number };
      parameter_name?: string;
    }
  | { type: 'date_time'; date_time: { fallback_value: string }; parameter_name?: string }
  | { type: 'image'; image: MediaRef }
  | { type: 'video'; video: MediaRef }
  | { type: 'document'; document: MediaRef & { filename?: string } }
  | {
      type: 'location';
      location: { latitude: number | string; longitude: number | string; name?: string; address?: string };
    }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string };

export type TemplateComponent =
  | { type: 'header' | 'body'; parameters: TemplateParameter[] }
  | {
      type: 'button';
      sub_type: 'quick_reply' | 'url' | 'copy_code' | 'flow';
      index: string | number;
      parameters: TemplateParameter[];
    };

export interface TemplateMessage {
  name: string;
  language: { code: string; policy?: 'deterministic' };
  components?: TemplateComponent[];
}

export interface ContactCardOut {
  name: {
    formatted_name: string;
    first_name?: string;
    last_name?: string;
    middle_name?: string;
    suffix?: string;
    prefix?: string;
  };
  phones?: { phone: string; type?: string; wa_id?: string }[];
  emails?: { email: string; type?: string }[];
  addresses?: Record<string, string>[];
  org?: { company?: string; department?: string; title?: string };
  urls?: { url: string; type?: string }[];
  birthday?: string;
}

/** The type-specific part of a message: `{ type: 'text', text: {...} }` and so on. */
export type OutboundContent =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'image'; image: MediaRef & { caption?: string } }
  | { type: 'video'; video: MediaRef & { caption?: string } }
  | { type: 'audio'; audio: MediaRef & { voice?: boolean } }
  | { type: 'document'; document: MediaRef & { caption?: string; filename?: string } }
  | { type: 'sticker'; sticker: MediaRef }
  | {
      type: 'location';
      location: { latitude: number | string; longitude: number | string; name?: string; address?: string };
    }
  | { type: 'contacts'; contacts: ContactCardOut[] }
  | { type: 'reaction'; reaction: { message_id: string; emoji: string } }
  | { type: 'interactive'; interactive: Interactive }
  | { type: 'template'; template: TemplateMessage };

export interface SendMessageResponse {
  messaging_product: 'whatsapp';
  contacts: { input: string; wa_id: string }[];
  messages: { id: string; message_status?: 'accepted' | 'held_for_quality_assessment' | string }[];
}

export interface MediaInfo {
  messaging_product: 'whatsapp';
  url: string;
  mime_type: string;
  sha256: string;
  file_size: string | number;
  id: string;
}

export interface Paging {
  cursors?: { before?: string; after?: string };
  next?: string;
  previous?: string;
}

export interface TemplateInfo {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: 'NAMED' | 'POSITIONAL';
  components: Record<string, unknown>[];
  rejected_reason?: string;
  quality_score?: { score: string; date?: number };
  sub_category?: string;
}

export interface CreateTemplateBody {
  name: string;
  category: string;
  language: string;
  parameter_format?: 'NAMED' | 'POSITIONAL';
  components: Record<string, unknown>[];
}

/** `GET /debug_token`'s `data`: what Meta knows of an access token. */
export interface TokenInfo {
  is_valid: boolean;
  /** Seconds since the epoch; 0 for a token that never expires (system users' usually). */
  expires_at?: number;
  /** When the token loses access to users' data; 0: never. */
  data_access_expires_at?: number;
  type?: string;
  app_id?: string;
  scopes?: string[];
  /** Why the token is not valid. */
  error?: { code?: number; subcode?: number; message?: string };
}

export interface PhoneNumberInfo {
  id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating: string;
  throughput?: { level: string };
  code_verification_status?: string;
  platform_type?: string;
  status?: string;
}
