import type { DeliveryStatus } from './types/webhook';

/** A message's state in Parley: Meta's statuses plus our own `received` (inbound) and `queued` (not yet sent). */
export const MESSAGE_STATUSES = ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const RANK: Record<Exclude<MessageStatus, 'failed' | 'received'>, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  read: 3,
};

/**
 * Where a status webhook moves an outbound message, or null to leave it. Statuses only move
 * forward (`sent < delivered < read`; `played`, a voice note's first play, counts as read), so a
 * late `delivered` never overwrites `read`. `failed` ends a message that was not yet delivered;
 * nothing moves a failed message.
 */
export function nextStatus(current: MessageStatus, incoming: DeliveryStatus | string): MessageStatus | null {
  if (current === 'failed' || current === 'received') return null;
  if (incoming === 'failed') return current === 'queued' || current === 'sent' ? 'failed' : null;
  const target = incoming === 'played' ? 'read' : incoming;
  if (target !== 'sent' && target !== 'delivered' && target !== 'read') return null;
  return RANK[target] > RANK[current] ? target : null;
}

/** The customer service window: 24 hours from the customer's last message (CLOUD-API.md §7). */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export function windowExpiresAt(lastInboundAt: Date | null): Date | null {
  return lastInboundAt ? new Date(lastInboundAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS) : null;
}

/** Whether a free-form (non-template) message may be sent now. */
export function isWindowOpen(lastInboundAt: Date | null, now: Date = new Date()): boolean {
  const expires = windowExpiresAt(lastInboundAt);
  return expires !== null && expires > now;
}
