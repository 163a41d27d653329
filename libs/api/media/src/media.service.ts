import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { addWithin, AppConfig, DomainError, ErrorCode, isUuid, OrgScopedRepository, QueueName } from '@parley/api/core';
import { GraphApiClients, PhoneNumber } from '@parley/api/waba-accounts';
import { InboundMedia, MEDIA_LIMITS, mediaKindOf, mediaProblem } from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Media } from './entities/media.entity';
import { baseMimeType, cleanFilename, downloadName, safeMimeType } from './media-files';
import { MEDIA_STORAGE, MediaFileMissing, MediaStorage } from './storage/media-storage';
import { newStorageKey } from './storage/storage-key';

/** The largest file WhatsApp carries (documents; and what customers may send us). */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** The type recorded for an inbound file whose webhook named none; the download fills in Meta's. */
export const UNKNOWN_MIME_TYPE = 'application/octet-stream';

/** A file to keep: on disk (an upload's temp file) or in memory, with what the sender said it is. */
export type MediaUpload = ({ path: string } | { buffer: Buffer }) & {
  mimeType: string;
  filename: string | null;
  size: number;
};

export interface DownloadJob {
  orgId: string;
  mediaId: string;
}

export const downloadJobId = (mediaId: string) => `download-${mediaId}`;

/** How long queueing waits for Redis before leaving the row to the sweeper. */
const ENQUEUE_WAIT_MS = 250;
/** Meta keeps uploads 30 days; a day's margin so a send never names an expired id. */
const UPLOAD_REUSE_MS = 29 * 24 * 60 * 60 * 1000;
const ACCEPTED_TYPES = Object.values(MEDIA_LIMITS)
  .flatMap((limits) => limits.mimeTypes)
  .join(', ');

const notAccepted = (message: string) => DomainError.invalidField(ErrorCode.MediaNotAccepted, 'file', message);

/**
 * Media files: uploads to send, inbound files downloaded from Meta, and Meta's ids for sending
 * them. The bytes live in `MEDIA_STORAGE`; every row is scoped by org.
 */
@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);
  private readonly media: OrgScopedRepository<Media>;
  /** Uploads to Meta under way in this process, by file and number. */
  private readonly uploads = new Map<string, Promise<string>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Media) rows: Repository<Media>,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @InjectQueue(QueueName.Media) private readonly queue: Queue<DownloadJob>,
    private readonly clients: GraphApiClients,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.media = new OrgScopedRepository(rows, 'Media');
  }

  /**
   * Keeps a file to send later: checked against Meta's types and sizes first (422 naming `file`),
   * then stored while its SHA-256 is computed, then recorded and audited. A failure after storing
   * removes the file again, so nothing is left half-done.
   */
  async upload(orgId: string, file: MediaUpload): Promise<Media> {
    const mimeType = baseMimeType(file.mimeType);
    const kind = mediaKindOf(mimeType);
    if (!kind) {
      const given = mimeType ? JSON.stringify(mimeType.slice(0, 100)) : 'no type';
      throw notAccepted(`WhatsApp does not accept ${given} files; send one of ${ACCEPTED_TYPES}`);
    }
    const problem = mediaProblem(kind, mimeType, file.size);
    if (problem) throw notAccepted(problem);

    const key = newStorageKey(orgId);
    const source = 'path' in file ? createReadStream(file.path) : Readable.from(file.buffer);
    const sha256 = await this.storeHashed(key, source, mimeType, file.size);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const media = await manager.save(
          manager.create(Media, {
            orgId,
            kind,
            mimeType,
            sizeBytes: file.size,
            sha256,
            filename: cleanFilename(file.filename),
            storageKey: key,
            status: 'stored',
            error: null,
            waMediaId: null,
            phoneNumberId: null,
            waUploadedAt: null,
          }),
        );
        await this.audit.record(manager, {
          orgId,
          action: 'media.uploaded',
          targetType: 'media',
          targetId: media.id,
          changes: { after: { kind, mimeType, sizeBytes: file.size, filename: media.filename, sha256 } },
        });
        return media;
      });
    } catch (error) {
      await this.storage.delete(key).catch(() => undefined);
      throw error;
    }
  }

  /** One media row of the org; 404 for unknown, malformed or other orgs' ids. */
  get(orgId: string, id: string): Promise<Media> {
    return this.media.get(orgId, id);
  }

  /**
   * The file's bytes, streamed. Only a `stored` file has any: a `pending` or `failed` one answers
   * 404 with a message saying so (its metadata, with the status, stays readable).
   */
  async open(orgId: string, id: string): Promise<{ media: Media; stream: Readable }> {
    const media = await this.get(orgId, id);
    if (media.status !== 'stored' || !media.storageKey)
      throw new DomainError(
        ErrorCode.NotFound,
        media.status === 'failed'
          ? 'Media content not available: the download from WhatsApp failed'
          : 'Media content not available yet: the file is still being downloaded from WhatsApp',
      );
    try {
      return { media, stream: await this.storage.get(media.storageKey) };
    } catch (error) {
      if (!(error instanceof MediaFileMissing)) throw error;
      this.logger.error(`media ${media.id} is stored but its file ${media.storageKey} is missing`);
      throw new DomainError(ErrorCode.NotFound, 'Media content not found');
    }
  }

  /**
   * Records a file a customer sent, to be downloaded (`pending`), in the inbound processor's
   * transaction. Nothing else happens here, so a rolled-back transaction leaves nothing behind;
   * call it once the message itself is known to be new, then `queueDownload` after commit.
   */
  async recordInbound(manager: EntityManager, number: PhoneNumber, media: InboundMedia): Promise<string> {
    const row = await manager.save(
      manager.create(Media, {
        orgId: number.orgId,
        kind: media.kind,
        mimeType: safeMimeType(media.mimeType) ?? UNKNOWN_MIME_TYPE,
        sizeBytes: null,
        sha256: media.sha256,
        filename: cleanFilename(media.filename),
        storageKey: null,
        status: 'pending',
        error: null,
        waMediaId: media.id,
        phoneNumberId: number.id,
        waUploadedAt: null,
      }),
    );
    return row.id;
  }

  /**
   * Queues the download of a `pending` file (after the transaction that recorded it committed).
   * Never waits on a Redis outage: the job id is stable and the worker's sweeper queues what Redis missed.
   */
  async queueDownload(orgId: string, mediaId: string): Promise<void> {
    const queued = await addWithin(
      this.queue,
      'download',
      { orgId, mediaId },
      { jobId: downloadJobId(mediaId) },
      ENQUEUE_WAIT_MS,
    );
    if (!queued) this.logger.warn(`media ${mediaId}: Redis did not take the download; the sweeper will queue it`);
  }

  /**
   * Meta's media id for sending this file from `number`: the last upload's when it was made from
   * this number less than 29 days ago, else a new upload (recorded). Concurrent sends of one file
   * in this process share one upload (a campaign uploads an image once); no database transaction is
   * held while the bytes travel. Ids customers' files came with are never reused. Graph API errors
   * propagate for the send worker to judge.
   */
  waMediaIdFor(orgId: string, mediaId: string, number: PhoneNumber): Promise<string> {
    if (number.orgId !== orgId) return Promise.reject(DomainError.notFound('Phone number'));
    const key = `${mediaId}:${number.id}`;
    const running = this.uploads.get(key);
    if (running) return running;
    const upload = this.uploadForSending(orgId, mediaId, number).finally(() => this.uploads.delete(key));
    this.uploads.set(key, upload);
    return upload;
  }

  private async uploadForSending(orgId: string, mediaId: string, number: PhoneNumber): Promise<string> {
    const media = await this.media.get(orgId, mediaId);
    const uploadedAt = media.waUploadedAt?.getTime() ?? 0;
    if (media.waMediaId && media.phoneNumberId === number.id && Date.now() - uploadedAt < UPLOAD_REUSE_MS)
      return media.waMediaId;
    if (media.status !== 'stored' || !media.storageKey)
      throw DomainError.invalidField(
        ErrorCode.MediaNotAccepted,
        'media',
        `Media ${media.id} can't be sent: it is ${media.status}, not stored`,
      );
    const data = Buffer.concat(await (await this.storage.get(media.storageKey)).toArray());
    const client = await this.clients.forAccount(orgId, number.wabaAccountId, this.config.GRAPH_API_MEDIA_TIMEOUT_MS);
    const { id } = await client.uploadMedia(number.phoneNumberId, {
      data,
      mimeType: baseMimeType(media.mimeType),
      filename: downloadName(media),
    });
    await this.dataSource.query(
      'UPDATE media SET wa_media_id = $3, phone_number_id = $4, wa_uploaded_at = now(), updated_at = now() WHERE id = $1 AND org_id = $2',
      [media.id, orgId, id, number.id],
    );
    return id;
  }

  /**
   * Deletes the org's rows among `ids` in the caller's transaction (erasure) and returns their
   * storage keys, for `deleteFiles` once that transaction has committed.
   */
  async deleteRows(manager: EntityManager, orgId: string, ids: string[]): Promise<string[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    // As a SELECT over the DELETE, so the driver hands back plain rows.
    const rows: { storage_key: string | null }[] = await manager.query(
      `WITH gone AS (DELETE FROM media WHERE org_id = $1 AND id = ANY($2::uuid[]) RETURNING storage_key)
       SELECT storage_key FROM gone`,
      [orgId, valid],
    );
    return rows.flatMap((row) => (row.storage_key ? [row.storage_key] : []));
  }

  /** Removes files (missing ones are fine). Tries every key, then rejects if any could not be removed. */
  async deleteFiles(keys: string[]): Promise<void> {
    let failed = 0;
    for (const key of keys) {
      try {
        await this.storage.delete(key);
      } catch (error) {
        failed += 1;
        this.logger.error(
          `could not remove media file ${key}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (failed > 0) throw new Error(`Could not remove ${failed} of ${keys.length} media files`);
  }

  /** Streams `source` into storage under `key`, hashing on the way; the base64 SHA-256. */
  private async storeHashed(key: string, source: Readable, mimeType: string, size: number): Promise<string> {
    const hash = createHash('sha256');
    let bytes = 0;
    async function* hashing(): AsyncGenerator<Buffer> {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    }
    await this.storage.put(key, Readable.from(hashing()), mimeType, size);
    if (bytes !== size) {
      await this.storage.delete(key);
      throw new Error(`media file ${key}: read ${bytes} bytes where ${size} were announced`);
    }
    return hash.digest('base64');
  }
}
