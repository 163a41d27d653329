import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import { returning } from '@parley/api/core';
import { ContactDataService } from '@parley/api/conversations';
import { MediaService } from '@parley/api/media';
import { DataSource } from 'typeorm';

/** Messages cleared per transaction: short locks on a big backlog. */
const BATCH = 1_000;
const DAY_MS = 86_400_000;
/** The org's local hours the nightly pass runs in, and how long after a pass the next may start. */
const NIGHT = { from: 2, to: 5 };
const MIN_HOURS_BETWEEN_PASSES = 20;

export interface RetentionResult {
  cutoff: Date;
  messages: number;
  media: number;
  webhookEvents: number;
}

/**
 * Per-org retention: message bodies, payloads and reactions older than `messageRetentionDays` are
 * cleared (as an erasure does, so counts, statuses and analytics stay true), with the files only
 * they used and the raw webhooks Meta sent in that time. Runs nightly, in the org's time zone, and
 * records what it did in the audit log.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contactData: ContactDataService,
    private readonly media: MediaService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Runs the pass for every org with a retention period whose local time is between 02:00 and
   * 06:00 and that has not had one in 20 hours; how many orgs it ran for.
   */
  async applyDue(): Promise<number> {
    // Claimed by marking them run, so two workers never clear one org at once.
    const due = await returning<{ id: string }>(
      this.dataSource,
      `UPDATE organizations SET retention_ran_at = now()
       WHERE message_retention_days IS NOT NULL
         AND extract(hour FROM now() AT TIME ZONE timezone) BETWEEN $1 AND $2
         AND (retention_ran_at IS NULL OR retention_ran_at < now() - ($3 || ' hours')::interval)
       RETURNING id`,
      [NIGHT.from, NIGHT.to, MIN_HOURS_BETWEEN_PASSES],
    );
    // One org's failure is logged and leaves the others their night; it is tried again the next.
    for (const org of due)
      await this.apply(org.id).catch((error: unknown) =>
        this.logger.error(
          `org ${org.id}: retention pass failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    return due.length;
  }

  /**
   * Clears what is older than the org's retention period, from where the last pass stopped, in
   * batches; then records the pass (audited even when nothing was old enough). Null when the org
   * keeps messages for ever.
   */
  async apply(orgId: string, now = new Date()): Promise<RetentionResult | null> {
    const [org]: { message_retention_days: number | null; retention_applied_until: Date | null }[] =
      await this.dataSource.query(
        `SELECT message_retention_days, retention_applied_until FROM organizations WHERE id = $1`,
        [orgId],
      );
    if (!org?.message_retention_days) return null;
    const cutoff = new Date(now.getTime() - org.message_retention_days * DAY_MS);
    let from = org.retention_applied_until ?? new Date(0);
    const result: RetentionResult = { cutoff, messages: 0, media: 0, webhookEvents: 0 };
    for (;;) {
      const batch = await this.clearBatch(orgId, from, cutoff);
      result.messages += batch.messages;
      result.media += batch.media;
      if (batch.messages < BATCH || !batch.last) break;
      // Keyset: the next batch starts at the newest cleared (ties there are skipped as already redacted).
      from = batch.last;
    }
    result.webhookEvents = await this.deleteWebhookEvents(orgId, cutoff);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE conversations SET last_message_preview = NULL
         WHERE org_id = $1 AND last_message_at < $2 AND last_message_preview IS NOT NULL`,
        [orgId, cutoff],
      );
      await manager.query(
        `UPDATE organizations SET retention_ran_at = $2,
           retention_applied_until = GREATEST(retention_applied_until, $3)
         WHERE id = $1`,
        [orgId, now, cutoff],
      );
      await this.audit.record(manager, {
        orgId,
        action: 'org.retention_applied',
        targetType: 'org',
        targetId: orgId,
        changes: { after: { retentionDays: org.message_retention_days, ...result } },
      });
    });
    if (result.messages + result.webhookEvents > 0)
      this.logger.log(
        `org ${orgId}: cleared ${result.messages} messages, ${result.media} files and ${result.webhookEvents} webhooks before ${cutoff.toISOString()}`,
      );
    return result;
  }

  /** Clears one batch of old messages and deletes the files nothing else uses (after commit). */
  private async clearBatch(
    orgId: string,
    from: Date,
    cutoff: Date,
  ): Promise<{ messages: number; media: number; last: Date | null }> {
    const { count, mediaIds, last, storageKeys } = await this.dataSource.transaction(async (manager) => {
      const redacted = await this.contactData.redactCreatedBetween(manager, orgId, from, cutoff, BATCH);
      return { ...redacted, storageKeys: await this.media.deleteRows(manager, orgId, redacted.mediaIds) };
    });
    await this.media
      .deleteFiles(storageKeys)
      .catch((error: unknown) =>
        this.logger.error(`org ${orgId}: files remain in storage after retention: ${String(error)}`),
      );
    return { messages: count, media: mediaIds.length, last };
  }

  /** Meta's raw webhooks received before the cutoff (they carry message text), once processed or given up on. */
  private async deleteWebhookEvents(orgId: string, cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await returning<{ id: string }>(
        this.dataSource,
        `DELETE FROM webhook_events WHERE id IN (
           SELECT id FROM webhook_events
           WHERE org_id = $1 AND received_at < $2 AND status IN ('processed', 'dead')
           LIMIT $3)
         RETURNING id`,
        [orgId, cutoff, BATCH],
      );
      deleted += rows.length;
      if (rows.length < BATCH) return deleted;
    }
  }
}
