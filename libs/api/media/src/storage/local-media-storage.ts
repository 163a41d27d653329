import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MediaFileMissing, MediaStorage } from './media-storage';
import { assertStorageKey } from './storage-key';

/** Media on local disk under one directory (MEDIA_STORAGE_DIR): fine for one machine or a shared volume. */
export class LocalMediaStorage implements MediaStorage {
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  /** Writes a hidden temp file beside the target, then renames it: readers see the whole file or none. */
  async put(key: string, data: Buffer | Readable, _contentType: string, _size?: number): Promise<void> {
    const target = this.pathOf(key);
    // A stream failing while the directories are made is the pipeline's to report, not an uncaught error.
    if (!Buffer.isBuffer(data)) data.on('error', () => undefined);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${randomUUID()}.part`);
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from(data) : data, createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      // Opened here, not lazily by the stream, so a missing file is known before anyone starts answering.
      return (await open(path, 'r')).createReadStream();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new MediaFileMissing(`No media file under ${key}`);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return join(this.root, ...key.split('/'));
  }
}
