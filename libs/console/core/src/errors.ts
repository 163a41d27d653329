import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorResponse } from '@parley/console/api-client';

export interface Problem {
  status: number;
  code: string;
  message: string;
  /** Per-field messages of a 400 (`field` is the request path, e.g. `text.body`). */
  fields: { field: string; message: string }[];
  /** What to show: the per-field messages when there are some (they name the field), else the message. */
  summary: string;
}

function problem(status: number, code: string, message: string, fields: Problem['fields'] = []): Problem {
  return { status, code, message, fields, summary: fields.map((field) => field.message).join(' ') || message };
}

function isErrorResponse(body: unknown): body is ErrorResponse {
  return typeof body === 'object' && body !== null && typeof (body as ErrorResponse).error?.code === 'string';
}

/** What went wrong, in words a person can act on, from anything an API call throws. */
export function problemOf(error: unknown): Problem {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return problem(0, 'offline', 'Cannot reach Parley. Check your connection.');
    if (isErrorResponse(error.error)) {
      const { code, message, details } = error.error.error;
      const fields = Array.isArray(details)
        ? details.flatMap((detail) => {
            const { field, message } = detail as { field?: unknown; message?: unknown };
            return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
          })
        : [];
      return problem(error.status, code, message, fields);
    }
    return problem(error.status, 'http_error', `The server answered ${error.status}.`);
  }
  return problem(0, 'error', error instanceof Error ? error.message : String(error));
}
