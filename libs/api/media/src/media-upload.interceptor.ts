import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { DomainError, ErrorCode } from '@parley/api/core';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finalize, Observable } from 'rxjs';
import { MAX_MEDIA_BYTES } from './media.service';

/** What the upload route reads from the parsed request. */
export interface UploadedMediaFile {
  path: string;
  mimetype: string;
  originalname: string;
  size: number;
}

const UPLOAD_DIR = join(tmpdir(), 'parley-uploads');

const badPart = (message: string) => DomainError.invalidField(ErrorCode.ValidationFailed, 'file', message);

/** multer's and busboy's errors, said in our words and shapes. */
function uploadError(error: unknown): unknown {
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new DomainError(ErrorCode.PayloadTooLarge, 'file must be at most 100 MB', [
          { field: 'file', message: 'file must be at most 100 MB' },
        ]);
      case 'LIMIT_UNEXPECTED_FILE':
        return badPart(`${error.field ?? 'that part'} is not allowed: send the file as the multipart field "file"`);
      default:
        return badPart('Send exactly one multipart part: the file, as the field "file"');
    }
  }
  // busboy's complaints about the body itself (no boundary, cut short, malformed headers).
  if (error instanceof Error && /multipart|boundary|unexpected end|malformed part/i.test(error.message))
    return new DomainError(ErrorCode.ValidationFailed, `Malformed multipart body: ${error.message}`);
  return error;
}

/**
 * Receives the multipart field `file` into a temp file (never the whole file in memory), stopping
 * at 100 MB, and removes the temp file once the route is done with it, whatever happened.
 */
@Injectable()
export class MediaUploadInterceptor implements NestInterceptor {
  private readonly receive = multer({
    // Made on each upload: a temp cleaner may have removed the directory since the last one.
    storage: multer.diskStorage({
      destination: (_req, _file, callback) =>
        void mkdir(UPLOAD_DIR, { recursive: true }).then(
          () => callback(null, UPLOAD_DIR),
          (error: Error) => callback(error, UPLOAD_DIR),
        ),
    }),
    limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 0 },
    // Browsers send UTF-8 file names; busboy would read them as latin1.
    defParamCharset: 'utf8',
  }).single('file');

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { file?: UploadedMediaFile }>();
    await new Promise<void>((resolve, reject) =>
      this.receive(req, http.getResponse<Response>(), (error?: unknown) =>
        error ? reject(uploadError(error)) : resolve(),
      ),
    );
    const path = req.file?.path;
    return next.handle().pipe(finalize(() => path && void rm(path, { force: true })));
  }
}
