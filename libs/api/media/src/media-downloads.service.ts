import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { AppConfig, DomainError, QueueName, RealtimePublisher, requeue } from '@parley/api/core';
import { GraphApiClients, WabaAccountsService } from '@parley/api/waba-accounts';
import { GraphApiError } from '@parley/whatsapp/cloud-api';
import type { Queue } from 'bull';
import { createHash } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { MediaDto } from './dto/media.dto';
import { Media } from './entities/media.entity';
import { safeMimeType } from './media-files';
import { DownloadJob, downloadJobId, MAX_MEDIA_BYTES, UNKNOWN_MIME_TYPE } from './media.service';
import { MEDIA_STORAGE, MediaStorage } from './storage/media-storage';
import { newStorageKey } from './storage/storage-key';

const SWEEP_BATCH = 500;

export type DownloadOutcome = 'stored' | 'failed' | 'skipped';

/** A download that can never succeed (too large, number gone): the row fails without retries. */
class DownloadRefused extends Error {}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Worker side of inbound media: fetches a `pending` file from Meta into storage, and sweeps up
 * downloads Redis never got. Every change of a row is published as `media.updated`.
 */
@Injectable()
export class MediaDownloadsService {
  private readonly logger = new Logger(MediaDownloadsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Media) private readonly rows: Repository<Media>,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    @InjectQueue(QueueName.Media) private readonly queue: Queue<DownloadJob>,
    private readonly accounts: WabaAccountsService,
    private readonly clients: GraphApiClients,
    private readonly realtime: RealtimePublisher,
    private readonly config: AppConfig,
  ) {}

  /**
   * Downloads one file. Retryable failures (Graph API 5xx, rate limits, network, storage, a checksum
   * that does not match) are thrown back to Bull for another try; permanent ones (Meta refusing the
   * id or token, a file over 100 MB, the number gone) and the last try's mark the row `failed`.
   */
  async download(orgId: string, mediaId: string, lastAttempt: boolean): Promise<DownloadOutcome> {
    const media = await this.rows.findOneBy({ id: mediaId, orgId });
    if (!media || media.status !== 'pending') return 'skipped';
    try {
      const file = await this.fetchFromMeta(media);
      const key = newStorageKey(orgId);
      await this.storage.put(key, file.data, file.mimeType, file.data.length);
      const stored = await this.finish(media, {
        status: 'stored',
        storageKey: key,
        sizeBytes: file.data.length,
        sha256: file.sha256,
        mimeType: file.mimeType,
        error: null,
      });
      // Erased (or finished by another worker) while downloading: the file has no row to belong to.
      if (!stored) await this.storage.delete(key);
      return stored ? 'stored' : 'skipped';
    } catch (error) {
      const permanent =
        error instanceof DownloadRefused ||
        error instanceof DomainError ||
        (error instanceof GraphApiError && !error.retryable);
      if (!permanent && !lastAttempt) throw error;
      await this.finish(media, { status: 'failed', error: describe(error) });
      if (!permanent) throw error;
      return 'failed';
    }
  }

  /**
   * Queues again what Redis never got (or a crashed worker dropped): rows still `pending` after
   * WEBHOOK_SWEEP_AFTER_MS with no live job. Stable job ids make repeats harmless.
   */
  async sweep(): Promise<number> {
    const stale: { id: string; org_id: string }[] = await this.dataSource.query(
      `SELECT id, org_id FROM media
       WHERE status = 'pending' AND created_at < now() - ($1 || ' milliseconds')::interval
       ORDER BY created_at LIMIT $2`,
      [this.config.WEBHOOK_SWEEP_AFTER_MS, SWEEP_BATCH],
    );
    let queued = 0;
    for (const row of stale) {
      const data = { orgId: row.org_id, mediaId: row.id };
      if (await requeue(this.queue, 'download', data, { jobId: downloadJobId(row.id) })) queued += 1;
    }
    if (queued > 0) this.logger.log(`re-queued ${queued} media downloads`);
    return queued;
  }

  private async fetchFromMeta(media: Media): Promise<{ data: Buffer; sha256: string; mimeType: string }> {
    if (!media.waMediaId || !media.phoneNumberId)
      throw new DownloadRefused('the business number it was sent to is no longer registered');
    const number = await this.accounts.phoneNumber(media.orgId, media.phoneNumberId);
    const client = await this.clients.forAccount(media.orgId, number.wabaAccountId);
    const info = await client.getMedia(media.waMediaId);
    const announced = Number(info.file_size);
    if (announced > MAX_MEDIA_BYTES)
      throw new DownloadRefused(`the file is ${megabytes(announced)}; WhatsApp media is at most 100 MB`);
    const { data, contentType } = await client.downloadMedia(info.url, { maxBytes: MAX_MEDIA_BYTES });
    if (data.length > MAX_MEDIA_BYTES)
      throw new DownloadRefused(`the file is ${megabytes(data.length)}; WhatsApp media is at most 100 MB`);
    const digest = createHash('sha256').update(data).digest();
    // Meta reports base64 in webhooks; hex is accepted too, as some of its answers use it.
    const expected = media.sha256 ?? info.sha256;
    if (expected && expected !== digest.toString('base64') && expected.toLowerCase() !== digest.toString('hex'))
      throw new Error('the downloaded bytes do not match the SHA-256 WhatsApp reported');
    const mimeType =
      media.mimeType !== UNKNOWN_MIME_TYPE
        ? media.mimeType
        : (safeMimeType(info.mime_type) ?? safeMimeType(contentType) ?? UNKNOWN_MIME_TYPE);
    return { data, sha256: digest.toString('base64'), mimeType };
  }

  /** Applies `changes` if the row is still `pending`, and tells the org's sockets; whether it applied. */
  private async finish(media: Media, changes: Partial<Media>): Promise<boolean> {
    const result = await this.rows.update({ id: media.id, orgId: media.orgId, status: 'pending' }, changes);
    if (!result.affected) return false;
    this.realtime.toOrg(media.orgId, 'media.updated', MediaDto.from(this.rows.merge(media, changes)));
    return true;
  }
}

/** What the row's `error` says: why, in words, without secrets (Graph API errors carry Meta's code and title). */
function describe(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const text =
    error instanceof GraphApiError
      ? `WhatsApp did not provide the file: ${reason}`
      : `Could not download the file from WhatsApp: ${reason}`;
  return text.slice(0, 1000);
}
