/**
 * Every error a caller can see, with the HTTP status it maps to. Domain code throws
 * `DomainError`s with one of these codes; the global filter turns them into
 * `{ error: { code, message, details? }, requestId }`.
 */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthenticated = 'unauthenticated',
  InvalidCredentials = 'invalid_credentials',
  InvalidRefreshToken = 'invalid_refresh_token',
  Forbidden = 'forbidden',
  InsufficientRole = 'insufficient_role',
  InsufficientScope = 'insufficient_scope',
  InvitationEmailMismatch = 'invitation_email_mismatch',
  NotFound = 'not_found',
  EmailTaken = 'email_taken',
  AlreadyMember = 'already_member',
  WabaAccountExists = 'waba_account_exists',
  PhoneNumberExists = 'phone_number_exists',
  ConversationAlreadyOpen = 'conversation_already_open',
  ContactExists = 'contact_exists',
  QuickReplyExists = 'quick_reply_exists',
  /** A scheduled message can be cancelled only until the worker picks it up. */
  ScheduledMessageNotCancellable = 'scheduled_message_not_cancellable',
  /** The campaign's status does not allow this (launching a running one, editing a launched one...). */
  CampaignStateConflict = 'campaign_state_conflict',
  /** The org has an export queued or running already: one at a time, follow that one. */
  ExportInProgress = 'export_in_progress',
  InvitationExpired = 'invitation_expired',
  PayloadTooLarge = 'payload_too_large',
  LastOwner = 'last_owner',
  NotAMember = 'not_a_member',
  ContactErased = 'contact_erased',
  /** A report's period is not one: a date that does not exist, from after to, over 366 days, or an unknown time zone; `details` names the field. */
  InvalidPeriod = 'invalid_period',
  /** Named by the messaging contract: free-form messages need the customer to have written within 24 hours. */
  OutsideCustomerServiceWindow = 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
  ContactOptedOut = 'contact_opted_out',
  TemplateNotFound = 'template_not_found',
  TemplateNotApproved = 'template_not_approved',
  TemplateParameterMismatch = 'template_parameter_mismatch',
  /** A template definition Meta would refuse (name, components, samples); `details` names each field. */
  TemplateInvalid = 'template_invalid',
  /** The WABA account already has a template of this name and language. */
  TemplateExists = 'template_exists',
  /** The template's status does not allow this (editing one under review, submitting one already submitted...). */
  TemplateStateConflict = 'template_state_conflict',
  MediaNotAccepted = 'media_not_accepted',
  /** An automation rule or flow that could not run as written (an unknown trigger, a bad message...); `details` names each field. */
  AutomationInvalid = 'automation_invalid',
  /** The contact is already going through this flow. */
  AlreadyEnrolled = 'already_enrolled',
  IdempotencyKeyReused = 'idempotency_key_reused',
  /** The first request with this Idempotency-Key has not finished yet. */
  IdempotencyKeyInUse = 'idempotency_key_in_use',
  RateLimited = 'rate_limited',
  Internal = 'internal_error',
  /** Meta's Graph API refused or failed a call made on the caller's behalf; `details` carries Meta's code and title. */
  GraphApiFailed = 'graph_api_error',
  /** Meta refused the account's credentials or ids (a bad token, an unknown WABA); `details` carries Meta's code. */
  WabaConnectionFailed = 'waba_connection_failed',
  /** The platform talks to Meta itself: there is no WhatsApp sandbox to connect. */
  SandboxUnavailable = 'sandbox_unavailable',
  ServiceUnavailable = 'service_unavailable',
  /** AI settings that can't work (a base URL that is not http(s), a remote provider without a model...); `details` names each field. */
  AiSettingsInvalid = 'ai_settings_invalid',
  /** A partner webhook URL we won't call: not http(s), unresolvable, or a private, loopback or link-local address. */
  WebhookUrlRejected = 'webhook_url_rejected',
}

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.InvalidCredentials]: 401,
  [ErrorCode.InvalidRefreshToken]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.InsufficientRole]: 403,
  [ErrorCode.InsufficientScope]: 403,
  [ErrorCode.InvitationEmailMismatch]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.EmailTaken]: 409,
  [ErrorCode.AlreadyMember]: 409,
  [ErrorCode.WabaAccountExists]: 409,
  [ErrorCode.PhoneNumberExists]: 409,
  [ErrorCode.ConversationAlreadyOpen]: 409,
  [ErrorCode.ContactExists]: 409,
  [ErrorCode.QuickReplyExists]: 409,
  [ErrorCode.ScheduledMessageNotCancellable]: 409,
  [ErrorCode.CampaignStateConflict]: 409,
  [ErrorCode.ExportInProgress]: 409,
  [ErrorCode.InvitationExpired]: 410,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.LastOwner]: 422,
  [ErrorCode.NotAMember]: 422,
  [ErrorCode.ContactErased]: 422,
  [ErrorCode.InvalidPeriod]: 422,
  [ErrorCode.OutsideCustomerServiceWindow]: 422,
  [ErrorCode.ContactOptedOut]: 422,
  [ErrorCode.TemplateNotFound]: 422,
  [ErrorCode.TemplateNotApproved]: 422,
  [ErrorCode.TemplateParameterMismatch]: 422,
  [ErrorCode.TemplateInvalid]: 422,
  [ErrorCode.TemplateExists]: 409,
  [ErrorCode.TemplateStateConflict]: 409,
  [ErrorCode.MediaNotAccepted]: 422,
  [ErrorCode.AutomationInvalid]: 422,
  [ErrorCode.AlreadyEnrolled]: 409,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.IdempotencyKeyInUse]: 409,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.GraphApiFailed]: 502,
  [ErrorCode.WabaConnectionFailed]: 422,
  [ErrorCode.SandboxUnavailable]: 409,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.AiSettingsInvalid]: 422,
  [ErrorCode.WebhookUrlRejected]: 422,
};

export interface FieldError {
  field: string;
  message: string;
}

export type ErrorDetails = FieldError[] | Record<string, unknown>;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    /** Response headers the error implies, such as `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  /** A 429 saying, in `Retry-After`, how many seconds until the caller may come back. */
  static rateLimited(message: string, retryAfterSeconds: number, details?: ErrorDetails): DomainError {
    return new DomainError(ErrorCode.RateLimited, message, details, { 'Retry-After': String(retryAfterSeconds) });
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} not found`);
  }

  /** A single field at fault, for rule violations found after shape validation. */
  static invalidField(code: ErrorCode, field: string, message: string): DomainError {
    return new DomainError(code, message, [{ field, message }]);
  }
}
