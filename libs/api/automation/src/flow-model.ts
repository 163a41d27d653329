import { outboundProblems, type OutboundContent } from '@parley/whatsapp/cloud-api';
import { type Condition, conditionProblems, type Problem } from './rule-model';

/*
 * A drip flow is a list of steps run in order for one contact. A step may jump elsewhere by a
 * step's `id`; `end` stops the flow; left out, the next step follows.
 */

export const STEP_TYPES = ['send', 'wait', 'wait_for_reply', 'branch'] as const;
export type StepType = (typeof STEP_TYPES)[number];
export const WAIT_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type WaitUnit = (typeof WAIT_UNITS)[number];

/** Where to go next: a step's id, `end`, or (left out) the step that follows. */
export type StepTarget = string | undefined;
export const END = 'end';

export interface FlowStep {
  /** Unique within the flow; what jumps name. */
  id: string;
  type: StepType;
  /** `send`: a message in Meta's send shape; outside the 24-hour window only a template goes. */
  message?: OutboundContent;
  /** `wait`, `wait_for_reply`: how long. */
  amount?: number;
  unit?: WaitUnit;
  /** `wait_for_reply`: where to go when the customer answers in time, and when they don't. */
  onReply?: StepTarget;
  onTimeout?: StepTarget;
  /** `branch`: a tag or attribute test on the contact, and where to go either way. */
  condition?: Condition;
  then?: StepTarget;
  else?: StepTarget;
}

/** When an enrolled contact leaves early (an opt-out always ends every flow). */
export interface FlowExitRules {
  /** Any reply ends it, except one a `wait_for_reply` step is waiting for. */
  onReply: boolean;
  /** Resolving the contact's conversation ends it. */
  onResolve: boolean;
}

const UNIT_MS: Record<WaitUnit, number> = { seconds: 1_000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
const MAX_WAIT_MS = 90 * UNIT_MS.days;

export function waitMs(step: Pick<FlowStep, 'amount' | 'unit'>): number {
  return (step.amount ?? 0) * UNIT_MS[step.unit ?? 'minutes'];
}

/** Every problem with a flow's steps, each naming its field. */
export function flowProblems(steps: FlowStep[]): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (steps.length === 0) add('steps', 'a flow needs at least one step');
  if (steps.length > 50) add('steps', 'a flow has at most 50 steps');
  const ids = new Set<string>();
  steps.forEach((step, i) => {
    if (typeof step.id !== 'string' || !/^[\w-]{1,40}$/.test(step.id) || step.id === END)
      add(`steps[${i}].id`, `steps[${i}].id must be 1 to 40 letters, digits, - or _ (and not "end")`);
    else if (ids.has(step.id)) add(`steps[${i}].id`, `steps[${i}].id ${step.id} is used twice`);
    ids.add(step.id);
  });
  const target = (value: StepTarget, field: string) => {
    if (value !== undefined && value !== END && !ids.has(value))
      add(field, `${field} must be a step id of this flow or "end"`);
  };
  steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    switch (step.type) {
      case 'send':
        if (!step.message || typeof step.message !== 'object') add(`${at}.message`, `${at}.message is required`);
        else
          for (const problem of outboundProblems(step.message)) add(`${at}.message.${problem.field}`, problem.message);
        return;
      case 'wait':
      case 'wait_for_reply': {
        const unitOk = (WAIT_UNITS as readonly string[]).includes(step.unit ?? '');
        if (!unitOk) add(`${at}.unit`, `${at}.unit must be one of ${WAIT_UNITS.join(', ')}`);
        if (typeof step.amount !== 'number' || !Number.isInteger(step.amount) || step.amount < 1)
          add(`${at}.amount`, `${at}.amount must be a whole number from 1`);
        else if (unitOk && waitMs(step) > MAX_WAIT_MS) add(`${at}.amount`, `${at} waits at most 90 days`);
        if (step.type === 'wait_for_reply') {
          target(step.onReply, `${at}.onReply`);
          target(step.onTimeout, `${at}.onTimeout`);
        }
        return;
      }
      case 'branch':
        if (!step.condition || (step.condition.type !== 'tag' && step.condition.type !== 'attribute'))
          add(`${at}.condition`, `${at}.condition must test a tag or an attribute`);
        else conditionProblems(step.condition, `${at}.condition`, add);
        target(step.then, `${at}.then`);
        target(step.else, `${at}.else`);
        return;
      default:
        add(`${at}.type`, `${at}.type must be one of ${STEP_TYPES.join(', ')}`);
    }
  });
  return problems;
}

/** The index a jump lands on: the next step when left out, past the end for `end` (or a step no longer there). */
export function resolveTarget(steps: FlowStep[], from: number, target: StepTarget): number {
  if (target === undefined) return from + 1;
  const index = steps.findIndex((step) => step.id === target);
  return index === -1 ? steps.length : index;
}
