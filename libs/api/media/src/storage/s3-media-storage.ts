import { AwsClient } from 'aws4fetch';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MediaFileMissing, MediaStorage } from './media-storage';
import { assertStorageKey } from './storage-key';

export interface S3MediaStorageOptions {
  /** `https://s3.eu-west-1.amazonaws.com`, `http://minio:9000`, ... */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO and most self-hosted servers). */
  forcePathStyle: boolean;
  /** How long to wait for S3 to start answering (an upload's bytes count as part of that wait). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Media in any S3-compatible bucket, signed with SigV4 (aws4fetch). Bodies stream with their
 * Content-Length and an unsigned payload hash, so a 100 MB file is never hashed or held twice.
 * Errors name the method, key and S3's error code, never the endpoint's credentials or the keys.
 */
export class S3MediaStorage implements MediaStorage {
  private readonly signer: AwsClient;
  private readonly fetch: typeof fetch;
  private readonly base: URL;

  constructor(private readonly options: S3MediaStorageOptions) {
    // aws4fetch's own retries would re-send a stream that has been read already: none here.
    this.signer = new AwsClient({
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      region: options.region,
      service: 's3',
      retries: 0,
    });
    this.fetch = options.fetch ?? fetch;
    this.base = new URL(options.endpoint);
  }

  /** A stream needs its `size`: S3 wants Content-Length up front. */
  async put(key: string, data: Buffer | Readable, contentType: string, size?: number): Promise<void> {
    const length = Buffer.isBuffer(data) ? data.length : size;
    if (length === undefined) throw new Error(`S3 PUT ${key}: a stream needs its size`);
    const response = await this.send('PUT', key, {
      body: data,
      headers: { 'content-type': contentType, 'content-length': String(length) },
    });
    if (!response.ok) throw await this.failure('PUT', key, response);
    await response.body?.cancel();
  }

  async get(key: string): Promise<Readable> {
    const response = await this.send('GET', key);
    if (response.status === 404) {
      await response.body?.cancel();
      throw new MediaFileMissing(`No media file under ${key}`);
    }
    if (!response.ok || !response.body) throw await this.failure('GET', key, response);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  async delete(key: string): Promise<void> {
    const response = await this.send('DELETE', key);
    if (!response.ok && response.status !== 404) throw await this.failure('DELETE', key, response);
    await response.body?.cancel();
  }

  /** The object's URL: path-style or virtual-hosted, with each key segment encoded. */
  private url(key: string): string {
    assertStorageKey(key);
    const path = key.split('/').map(encodeURIComponent).join('/');
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const bucket = encodeURIComponent(this.options.bucket);
    return this.options.forcePathStyle
      ? `${this.base.protocol}//${this.base.host}${prefix}/${bucket}/${path}`
      : `${this.base.protocol}//${bucket}.${this.base.host}${prefix}/${path}`;
  }

  private async send(
    method: string,
    key: string,
    init: { body?: Buffer | Readable; headers?: Record<string, string> } = {},
  ) {
    // The deadline covers the wait for S3's answer only: a download then streams at the reader's pace.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs ?? 120_000);
    try {
      const request = await this.signer.sign(this.url(key), {
        method,
        headers: init.headers,
        // fetch takes Node streams too (sent as they are read: `duplex`); the DOM typings only know web bodies.
        body: init.body as RequestInit['body'],
        ...(init.body instanceof Readable && ({ duplex: 'half' } as RequestInit)),
        signal: abort.signal,
      });
      return await this.fetch(request);
    } catch (error) {
      const failure = error as { name?: string; message?: string; cause?: { message?: string } };
      const reason =
        failure.name === 'AbortError' ? 'timed out' : (failure.cause?.message ?? failure.message ?? 'failed');
      throw new Error(`S3 ${method} ${key}: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async failure(method: string, key: string, response: Response): Promise<Error> {
    const body = await response.text().catch(() => '');
    const code = /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1];
    return new Error(`S3 ${method} ${key}: ${response.status}${code ? ` ${code}` : ''}`);
  }
}
