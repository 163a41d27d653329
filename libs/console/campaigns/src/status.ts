import type { CampaignStatus, RecipientStatus } from '@parley/console/api-client';

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
  'failed',
];

const CAMPAIGN_LABELS: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Sending',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export function campaignStatusLabel(status: CampaignStatus): string {
  return CAMPAIGN_LABELS[status] ?? status;
}

export const RECIPIENT_STATUSES: readonly RecipientStatus[] = [
  'pending',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
  'cancelled',
];

const RECIPIENT_LABELS: Record<RecipientStatus, string> = {
  pending: 'Waiting',
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

export function recipientStatusLabel(status: RecipientStatus): string {
  return RECIPIENT_LABELS[status] ?? status;
}

const SKIP_REASONS: Record<string, string> = {
  not_opted_in: 'Not opted in',
  opted_out: 'Opted out',
  invalid_number: 'Invalid phone number',
  missing_parameter: 'No value for a parameter',
  unknown_number: 'No contact with this number',
  erased: 'Contact erased',
};

/** Why a recipient was not sent to, in words (reasons the console does not know read as they are). */
export function skipReasonLabel(reason: string): string {
  return SKIP_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** `{not_opted_in: 3, ...}` as labelled rows, largest first. */
export function reasonRows(
  counts: Record<string, number> | undefined,
): { reason: string; label: string; count: number }[] {
  return Object.entries(counts ?? {})
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ reason, label: skipReasonLabel(reason), count }))
    .sort((a, b) => b.count - a.count);
}
