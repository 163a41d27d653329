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
import { catchError, Observable, throwError } from 'rxjs';
import { badFile } from './contacts.errors';

export const MAX_CSV_MEGABYTES = 20;

/**
 * The upload is spooled to a temporary file, never held in memory, and read back as a stream
 * once the form fields (which may come after the file) are known and validated.
 */
export const CSV_UPLOAD: MulterModuleOptions = {
  storage: diskStorage({ destination: tmpdir() }),
  limits: { fileSize: MAX_CSV_MEGABYTES * 1024 * 1024, files: 1, fields: 10, fieldSize: 10_000, parts: 20 },
};

/** multer's refusals (too large, wrong field, broken form) as errors that name the `file` field. */
@Injectable()
export class CsvUploadErrors implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => uploadError(error))));
  }
}

function uploadError(error: unknown): unknown {
  if (error instanceof PayloadTooLargeException)
    return badFile(`file must be at most ${MAX_CSV_MEGABYTES} MB`, ErrorCode.PayloadTooLarge);
  if (error instanceof HttpException && error.getStatus() === HttpStatus.BAD_REQUEST)
    return badFile(`upload refused (${error.message}): send one CSV file in the multipart field "file"`);
  return error;
}
