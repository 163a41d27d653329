import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MediaFileMissing } from './media-storage';
import { S3MediaStorage, S3MediaStorageOptions } from './s3-media-storage';

/** s3rver ships no types: the little of it used here. */
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverServer;
const S3rver = require('s3rver') as S3rverClass;

const read = async (stream: Readable) => Buffer.concat(await stream.toArray());

describe('S3MediaStorage against s3rver', () => {
  let server: S3rverServer;
  let directory: string;
  let storage: S3MediaStorage;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'parley-s3rver-'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'parley-media' }],
    });
    const { port } = await server.run();
    storage = new S3MediaStorage({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'parley-media',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('puts a buffer and a stream, gets them back byte for byte, deletes them', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    await storage.put('org-1/2026/05/buffer', bytes, 'application/pdf');
    const chunks = [Buffer.from('streamed '), Buffer.from('in '), Buffer.from('pieces')];
    await storage.put('org-1/2026/05/stream', Readable.from(chunks), 'text/plain', 18);

    expect((await read(await storage.get('org-1/2026/05/buffer'))).equals(bytes)).toBe(true);
    expect((await read(await storage.get('org-1/2026/05/stream'))).toString()).toBe('streamed in pieces');

    await storage.delete('org-1/2026/05/buffer');
    await expect(storage.get('org-1/2026/05/buffer')).rejects.toBeInstanceOf(MediaFileMissing);
    expect((await read(await storage.get('org-1/2026/05/stream'))).toString()).toBe('streamed in pieces');
  });

  it('answers MediaFileMissing for an unknown key, and deleting one is fine', async () => {
    await expect(storage.get('org-1/never/stored')).rejects.toBeInstanceOf(MediaFileMissing);
    await expect(storage.delete('org-1/never/stored')).resolves.toBeUndefined();
  });

  it('refuses a stream without its size (S3 needs Content-Length first)', async () => {
    await expect(storage.put('org-1/sizeless', Readable.from([Buffer.from('x')]), 'text/plain')).rejects.toThrow(
      'a stream needs its size',
    );
  });
});

describe('S3MediaStorage requests', () => {
  const options: S3MediaStorageOptions = {
    endpoint: 'https://s3.eu-west-1.example.com',
    region: 'eu-west-1',
    bucket: 'parley-media',
    accessKeyId: 'AKIDPARLEYTEST',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    forcePathStyle: true,
  };
  const capture = (response: () => Response) => {
    const requests: Request[] = [];
    const fetch = (async (input: Request) => {
      requests.push(input);
      return response();
    }) as typeof globalThis.fetch;
    return { requests, fetch };
  };

  /** SigV4 as AWS specifies it, computed independently of the signer under test. */
  function expectedSignature(request: Request): string {
    const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const amzDate = request.headers.get('x-amz-date') ?? '';
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
    const url = new URL(request.url);
    const canonicalHeaders = signedHeaders
      .split(';')
      .map((name) => `${name}:${name === 'host' ? url.host : (request.headers.get(name) ?? '').trim()}\n`)
      .join('');
    const canonicalRequest = [
      request.method,
      url.pathname,
      '',
      canonicalHeaders,
      signedHeaders,
      request.headers.get('x-amz-content-sha256'),
    ].join('\n');
    const scope = `${amzDate.slice(0, 8)}/eu-west-1/s3/aws4_request`;
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      amzDate,
      scope,
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    let key = hmac(`AWS4${options.secretAccessKey}`, amzDate.slice(0, 8));
    for (const part of ['eu-west-1', 's3', 'aws4_request']) key = hmac(key, part);
    return hmac(key, stringToSign).toString('hex');
  }

  it('signs every request with SigV4 for the bucket region and service, with the payload unsigned', async () => {
    const { requests, fetch } = capture(() => new Response(null, { status: 200 }));
    const storage = new S3MediaStorage({ ...options, fetch });
    await storage.put('org-1/2026/05/abc', Buffer.from('hello'), 'image/png');
    await storage.delete('org-1/2026/05/abc');

    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ['PUT', 'https://s3.eu-west-1.example.com/parley-media/org-1/2026/05/abc'],
      ['DELETE', 'https://s3.eu-west-1.example.com/parley-media/org-1/2026/05/abc'],
    ]);
    const put = requests[0] as Request;
    expect(put.headers.get('content-type')).toBe('image/png');
    expect(put.headers.get('content-length')).toBe('5');
    expect(put.headers.get('x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    for (const request of requests) {
      const authorization = request.headers.get('authorization') ?? '';
      expect(authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=AKIDPARLEYTEST/${today}/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(authorization.endsWith(`Signature=${expectedSignature(request)}`)).toBe(true);
      expect(authorization).not.toContain(options.secretAccessKey);
    }
  });

  it('addresses the bucket as a host name unless path style is forced', async () => {
    const { requests, fetch } = capture(() => new Response(null, { status: 404 }));
    const storage = new S3MediaStorage({ ...options, forcePathStyle: false, fetch });
    await expect(storage.get('org-1/a b')).rejects.toThrow('Refusing media storage key');
    await expect(storage.get('org-1/2026/05/abc')).rejects.toBeInstanceOf(MediaFileMissing);
    expect(requests.map((r) => r.url)).toEqual(['https://parley-media.s3.eu-west-1.example.com/org-1/2026/05/abc']);
  });

  it("reports S3's error code, never the credentials it echoes", async () => {
    const body = `<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><AWSAccessKeyId>${options.accessKeyId}</AWSAccessKeyId></Error>`;
    const { fetch } = capture(() => new Response(body, { status: 403 }));
    const storage = new S3MediaStorage({ ...options, fetch });
    const failure = storage.put('org-1/x', Buffer.from('x'), 'text/plain');
    await expect(failure).rejects.toThrow('S3 PUT org-1/x: 403 SignatureDoesNotMatch');
    await expect(failure).rejects.not.toThrow(options.accessKeyId);
  });
});
