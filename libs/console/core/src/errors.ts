import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorResponse } from '@parley/console/api-client';

export interface Problem {
  status: number;
  code: string;
  message: string;
  /** Per-field messages of a 400 (`field` is the request path, e.g. `text.body`). */
  fields: { field: string; message: string }[];
}

function isErrorResponse(body: unknown): body is ErrorResponse {
  return typeof body === 'object' && body !== null && typeof (body as ErrorResponse).error?.code === 'string';
}

/** What went wrong, in words a person can act on, from anything an API call throws. */
export function problemOf(error: unknown): Problem {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0)
      return { status: 0, code: 'offline', message: 'Cannot reach Parley. Check your connection.', fields: [] };
    if (isErrorResponse(error.error)) {
      const { code, message, details } = error.error.error;
      const fields = Array.isArray(details)
        ? details.flatMap((detail) => {
            const { field, message } = detail as { field?: unknown; message?: unknown };
            return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
          })
        : [];
      return { status: error.status, code, message, fields };
    }
    return { status: error.status, code: 'http_error', message: `The server answered ${error.status}.`, fields: [] };
  }
  return { status: 0, code: 'error', message: error instanceof Error ? error.message : String(error), fields: [] };
}
