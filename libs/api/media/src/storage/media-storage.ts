import type { Readable } from 'node:stream';

/** Where media bytes live. Drivers: local disk (the default) and any S3-compatible bucket. */
export interface MediaStorage {
  /** Stores `data` under `key` (overwriting). */
  put(key: string, data: Buffer | Readable, contentType: string, size?: number): Promise<void>;
  /** The bytes under `key`, streamed; throws `MediaFileMissing` when there are none. */
  get(key: string): Promise<Readable>;
  /** Removes `key`; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');

export class MediaFileMissing extends Error {
  override readonly name = 'MediaFileMissing';
}
