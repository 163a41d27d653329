import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { MulterModuleOptions } from '@nestjs/platform-express';
import { ErrorCode } from '@parley/api/core';
import { diskStorage } from 'multer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { catchError, finalize, Observable, throwError } from 'rxjs';
import { badFile } from './contacts.errors';

export const MAX_CSV_MEGABYTES = 20;
/** Where uploads wait while a request runs (multer makes it when missing). */
export const UPLOAD_DIR = join(tmpdir(), 'parley-imports');

/**
 * The upload is spooled to a temporary file, never held in memory, and read back as a stream
 * once the form fields (which may come after the file) are known and validated.
 */
export const CSV_UPLOAD: MulterModuleOptions = {
  storage: diskStorage({ destination: UPLOAD_DIR }),
  limits: { fileSize: MAX_CSV_MEGABYTES * 1024 * 1024, files: 1, fields: 10, fieldSize: 10_000, parts: 20 },
};

/**
 * multer's refusals (too large, wrong field, broken form) as errors that name the `file` field; and
 * the temp file removed once the request is done, even when the form fields fail validation before
 * the route runs.
 */
@Injectable()
export class CsvUploadErrors implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<{ file?: { path?: string } }>();
    return next.handle().pipe(
      catchError((error: unknown) => throwError(() => uploadError(error))),
      // Read at the end: the file interceptor, which runs inside this one, sets it.
      finalize(() => req.file?.path && void rm(req.file.path, { force: true })),
    );
  }
}

function uploadError(error: unknown): unknown {
  if (error instanceof PayloadTooLargeException)
    return badFile(`file must be at most ${MAX_CSV_MEGABYTES} MB`, ErrorCode.PayloadTooLarge);
  if (error instanceof HttpException && error.getStatus() === HttpStatus.BAD_REQUEST)
    return badFile(`upload refused (${error.message}): send one CSV file in the multipart field "file"`);
  return error;
}
