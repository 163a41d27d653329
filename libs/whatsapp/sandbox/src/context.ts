import { GraphApiError, metaErrorTitle } from '@parley/whatsapp/cloud-api';
import type { Response } from 'express';
import { createHmac, randomBytes } from 'node:crypto';
import { PairLimiter, ThroughputLimiter } from './rate-limits';
import { SandboxState } from './state';
import { WebhookDispatcher } from './webhooks';

/** What every part of the sandbox shares. */
export class SandboxContext {
  readonly state = new SandboxState();
  readonly webhooks = new WebhookDispatcher(this.state);
  readonly throughput = new ThroughputLimiter();
  readonly pairs = new PairLimiter();
  private readonly mediaKey = randomBytes(32);
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(public publicUrl: string) {}

  /** Runs `fn` after `delayMs`; cancelled by `close()`. */
  later(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    this.timers.add(timer);
  }

  /** A download URL for media that works for five minutes (Meta's are short-lived too). */
  mediaUrl(mediaId: string, now = Date.now()): string {
    const expires = now + 5 * 60_000;
    return `${this.publicUrl}/_sandbox/media-files/${mediaId}?expires=${expires}&sig=${this.mediaSignature(mediaId, expires)}`;
  }

  mediaSignature(mediaId: string, expires: number): string {
    return createHmac('sha256', this.mediaKey).update(`${mediaId}:${expires}`).digest('hex');
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.webhooks.cancelAll();
  }

  /** Forgets everything: state, scenario, rate limits, pending webhooks. */
  reset(): void {
    this.close();
    this.state.reset();
    this.throughput.reset();
    this.pairs.reset();
  }
}

/** Answers with Meta's error body and status. */
export function graphError(res: Response, httpStatus: number, code: number, details?: string, subcode?: number): void {
  const error = new GraphApiError(
    code,
    metaErrorTitle(code),
    details ?? null,
    httpStatus,
    subcode ?? null,
    randomBytes(12).toString('base64url'),
  );
  res.status(httpStatus).json(error.toBody());
}

/** Meta's answer for an id it does not know (or the token may not see). */
export function objectNotFound(res: Response, id: string): void {
  graphError(
    res,
    400,
    100,
    `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    33,
  );
}
