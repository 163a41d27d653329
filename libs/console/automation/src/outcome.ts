import type { AutomationRunDto, FlowEnrollmentDto } from '@parley/console/api-client';

export type RunOutcome = AutomationRunDto['outcome'];

const OUTCOMES: Record<RunOutcome, string> = {
  fired: 'Fired',
  cooldown: 'Held back: cooldown',
  loop_guard: 'Held back: loop guard',
  failed: 'Failed',
};

/** A rule log entry's outcome, in words. */
export function outcomeLabel(outcome: RunOutcome): string {
  return OUTCOMES[outcome] ?? outcome;
}

const ENROLLMENT_STATUSES: Record<FlowEnrollmentDto['status'], string> = {
  active: 'In the flow',
  completed: 'Completed',
  exited: 'Left',
};

export function enrollmentStatusLabel(status: FlowEnrollmentDto['status']): string {
  return ENROLLMENT_STATUSES[status] ?? status;
}

const EXIT_REASONS: Record<string, string> = {
  completed: 'Completed',
  replied: 'Replied',
  opted_out: 'Opted out',
  resolved: 'Conversation resolved',
  flow_deleted: 'Flow deleted',
  send_failed: 'A message could not be sent',
  loop: 'Stopped: it looped',
};

/** Why a contact left a flow, in words (reasons the console does not know read as they are). */
export function exitReasonLabel(reason: string | null): string {
  if (!reason) return '';
  // `send_failed: <why>`: the API's words for why Meta's rules refused the step's message.
  const failed = /^send_failed: (.+)$/.exec(reason);
  if (failed) return `A message could not be sent: ${failed[1]}`;
  return EXIT_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** What put a contact in a flow: `rule:<id>`, `campaign:<id>` or `api` (the console's "Enroll" too). */
export function enrollmentSourceLabel(source: string): string {
  if (source.startsWith('rule:')) return 'A rule';
  if (source.startsWith('campaign:')) return 'A campaign';
  return 'By hand or the API';
}
