/**
 * Meta's error codes (CLOUD-API.md §4): what each means and whether sending again can succeed.
 * `retryable` is our reading of Meta's remedies: "try again" / "wait" → true; "fix the request",
 * "send a template", "do not retry" → false.
 */
export const META_ERRORS: Readonly<Record<number, { title: string; retryable: boolean }>> = {
  0: { title: 'AuthException: could not authenticate the app user', retryable: false },
  1: { title: 'API Unknown: invalid request or possible server error', retryable: true },
  2: { title: 'API Service: temporary downtime or overload', retryable: true },
  3: { title: 'API Method: capability or permissions issue', retryable: false },
  4: { title: 'Too many calls: the app hit its API rate limit', retryable: true },
  10: { title: 'Permission denied', retryable: false },
  33: { title: 'The business phone number has been deleted', retryable: false },
  100: { title: 'Invalid parameter', retryable: false },
  190: { title: 'Access token has expired', retryable: false },
  200: { title: 'Permission error', retryable: false },
  368: { title: 'Temporarily blocked for policy violations', retryable: false },
  80007: { title: 'Rate limit issues: the WABA reached its rate limit', retryable: true },
  130403: { title: 'The business has blocked this user', retryable: false },
  130429: { title: 'Rate limit hit', retryable: true },
  130472: { title: "User's number is part of an experiment", retryable: false },
  130497: { title: 'Business account is restricted from messaging users in this country', retryable: false },
  131000: { title: 'Something went wrong', retryable: true },
  131005: { title: 'Access denied', retryable: false },
  131008: { title: 'Required parameter is missing', retryable: false },
  131009: { title: 'Parameter value is not valid', retryable: false },
  131016: { title: 'Service unavailable', retryable: true },
  131021: { title: 'Recipient cannot be sender', retryable: false },
  131026: { title: 'Message undeliverable', retryable: false },
  131030: { title: 'Recipient phone number not in allowed list', retryable: false },
  131031: { title: 'Business account has been locked', retryable: false },
  131037: { title: 'WhatsApp provided number needs display name approval', retryable: false },
  131042: { title: 'Business eligibility payment issue', retryable: false },
  131045: { title: 'Incorrect certificate', retryable: false },
  131047: { title: 'Re-engagement message', retryable: false },
  131048: { title: 'Spam rate limit hit', retryable: false },
  131049: { title: 'Meta chose not to deliver', retryable: false },
  131050: { title: 'User has stopped marketing messages', retryable: false },
  131051: { title: 'Unsupported message type', retryable: false },
  131052: { title: 'Media download error', retryable: false },
  131053: { title: 'Media upload error', retryable: false },
  131056: { title: '(Business Account, Consumer Account) pair rate limit hit', retryable: true },
  131057: { title: 'Account in maintenance mode', retryable: true },
  131063: { title: 'Marketing templates are disabled for this account', retryable: false },
  131064: { title: 'Messaging limit hit because of template classification violations', retryable: false },
  132000: { title: 'Template param count mismatch', retryable: false },
  132001: { title: 'Template does not exist', retryable: false },
  132005: { title: 'Template hydrated text too long', retryable: false },
  132007: { title: 'Template format character policy violated', retryable: false },
  132008: { title: 'Template parameter format mismatch', retryable: false },
  132012: { title: 'Template parameter format mismatch', retryable: false },
  132015: { title: 'Template is paused', retryable: false },
  132016: { title: 'Template is disabled', retryable: false },
  132068: { title: 'Flow is in blocked state', retryable: false },
  132069: { title: 'Flow is in throttled state', retryable: true },
  133000: { title: 'Incomplete deregistration', retryable: false },
  133004: { title: 'Server temporarily unavailable', retryable: true },
  133005: { title: 'Two-step verification PIN mismatch', retryable: false },
  133006: { title: 'Phone number re-verification needed', retryable: false },
  133008: { title: 'Too many two-step verification PIN guesses', retryable: true },
  133009: { title: 'Two-step verification PIN guessed too fast', retryable: true },
  133010: { title: 'Phone number not registered', retryable: false },
  133015: { title: 'Please wait a few minutes before attempting to register this phone number', retryable: true },
  133016: { title: 'Account register or deregister rate limit exceeded', retryable: true },
  134011: { title: 'Business payments terms of service pending', retryable: false },
  135000: { title: 'Generic user error', retryable: false },
  137000: { title: 'Identity key hash mismatch', retryable: false },
  2388019: { title: 'Message template limit exceeded', retryable: false },
  2494100: { title: 'Account in maintenance mode', retryable: true },
};

/** Meta's title for a code (its own wording when the table lacks it). */
export function metaErrorTitle(code: number, fallback = 'Unknown error'): string {
  return META_ERRORS[code]?.title ?? fallback;
}

/**
 * Whether sending again can succeed. Codes outside the table follow the HTTP status: 5xx and
 * 429 retry, other 4xx do not; codes 200-299 are permission errors.
 */
export function isRetryableMetaError(code: number | null, httpStatus?: number): boolean {
  if (code !== null) {
    const known = META_ERRORS[code];
    if (known) return known.retryable;
    if (code >= 200 && code <= 299) return false;
  }
  return httpStatus === undefined || httpStatus >= 500 || httpStatus === 429;
}

/** Meta's error body: `{ error: { message, type, code, error_subcode?, error_data?: { details }, fbtrace_id } }`. */
export interface GraphErrorBody {
  error: {
    message: string;
    type?: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product?: 'whatsapp'; details?: string };
    error_user_title?: string;
    error_user_msg?: string;
    is_transient?: boolean;
    fbtrace_id?: string;
  };
}

/** A failed Graph API call: Meta's error (code, subcode, title, details) or a network failure. */
export class GraphApiError extends Error {
  constructor(
    /** Meta's numeric code; null when Meta never answered (network, timeout) or answered without one. */
    readonly code: number | null,
    readonly title: string,
    readonly details: string | null,
    readonly httpStatus: number | null,
    readonly subcode: number | null = null,
    readonly fbtraceId: string | null = null,
    /**
     * Whether Meta may have acted on the request although we got no answer (a timeout or a
     * connection cut mid-call): a send in this state must not simply be sent again.
     */
    readonly outcomeUnknown = false,
  ) {
    super(code === null ? title : `(#${code}) ${title}${details ? `: ${details}` : ''}`);
    this.name = 'GraphApiError';
  }

  /** Network failures and timeouts (no status) retry; otherwise the code table, then the status, decides. */
  get retryable(): boolean {
    return isRetryableMetaError(this.code, this.httpStatus ?? undefined);
  }

  /** Builds the error from a Graph response; tolerates bodies that are not Meta's shape. */
  static fromResponse(httpStatus: number, body: unknown): GraphApiError {
    const error = (body as Partial<GraphErrorBody> | null)?.error;
    if (!error || typeof error.code !== 'number') {
      return new GraphApiError(null, `Graph API answered ${httpStatus}`, null, httpStatus);
    }
    const title = (error.message ?? '').replace(/^\(#\d+\)\s*/, '') || metaErrorTitle(error.code);
    return new GraphApiError(
      error.code,
      title,
      error.error_data?.details ?? error.error_user_msg ?? null,
      httpStatus,
      error.error_subcode ?? null,
      error.fbtrace_id ?? null,
    );
  }

  /** Meta's body for this error, as the sandbox answers it. */
  toBody(): GraphErrorBody {
    return {
      error: {
        message: `(#${this.code ?? 1}) ${this.title}`,
        type: 'OAuthException',
        code: this.code ?? 1,
        ...(this.subcode !== null && { error_subcode: this.subcode }),
        error_data: { messaging_product: 'whatsapp', details: this.details ?? this.title },
        fbtrace_id: this.fbtraceId ?? undefined,
      },
    };
  }
}
