import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/** One file of the archive being written: write its text in pieces, then end it. */
export class ZipEntryWriter {
  constructor(
    private readonly stream: PassThrough,
    private readonly failed: Promise<never>,
  ) {}

  /** Resolves once the archive can take more: a table is never held whole in memory. */
  async write(text: string): Promise<void> {
    if (this.stream.write(text)) return;
    await Promise.race([once(this.stream, 'drain'), this.failed]);
  }

  end(): void {
    this.stream.end();
  }
}

/**
 * A ZIP archive (yazl) streamed to a file as its entries are written. Entries are written one after
 * the other: yazl reads each to its end before the next.
 */
export class ZipWriter {
  private readonly zip = new ZipFile();
  private readonly written: Promise<void>;
  /** Rejects when writing the file fails, so a writer waiting for room stops waiting. */
  private readonly failed: Promise<never>;

  constructor(
    path: string,
    /** Every entry's modification time: the snapshot's. */
    private readonly mtime: Date,
  ) {
    const zipError = new Promise<never>((_, reject) => this.zip.on('error', reject));
    this.written = Promise.race([pipeline(this.zip.outputStream, createWriteStream(path, { flags: 'wx' })), zipError]);
    this.failed = this.written.then(() => {
      throw new Error('the archive was closed while an entry was being written');
    });
    // Whoever waits on these hears of the failure; unheard, it must not crash the process.
    this.failed.catch(() => undefined);
  }

  entry(name: string): ZipEntryWriter {
    const stream = new PassThrough();
    this.zip.addReadStream(stream, name, { mtime: this.mtime });
    return new ZipEntryWriter(stream, this.failed);
  }

  addBuffer(name: string, data: Buffer): void {
    this.zip.addBuffer(data, name, { mtime: this.mtime });
  }

  /** Writes the central directory; resolves once the file is complete. */
  async close(): Promise<void> {
    this.zip.end();
    await this.written;
  }

  /** Stops writing (the file is left incomplete, for the caller to remove). */
  abort(): void {
    (this.zip.outputStream as PassThrough).destroy(new Error('archive aborted'));
  }
}
