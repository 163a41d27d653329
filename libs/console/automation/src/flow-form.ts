import type { CreateFlowDto, FlowDto, FlowStepDto } from '@parley/console/api-client';
import { emptyMessage, type MessageForm, messageFormOf, messageOf, messageSummary } from './message';
import {
  ATTRIBUTE_OPS,
  type ConditionForm,
  conditionFormOf,
  conditionOf,
  emptyCondition,
  moved,
  needsValue,
  TAG_OPS,
} from './rule-form';

/*
 * A drip flow's steps as the editor shows them. A step that jumps (a reply wait's two outcomes, a
 * branch's two ways) names its target: another step's id, "end", or "next" (the step below it,
 * which the API writes by leaving the target out).
 */

export type StepType = FlowStepDto['type'];
export type WaitUnit = NonNullable<FlowStepDto['unit']>;

export const NEXT = 'next';
export const END = 'end';

export const STEP_TYPES: { type: StepType; label: string }[] = [
  { type: 'send', label: 'Send a message' },
  { type: 'wait', label: 'Wait' },
  { type: 'wait_for_reply', label: 'Wait for a reply' },
  { type: 'branch', label: 'Branch on a tag or attribute' },
];

export const WAIT_UNITS: { unit: WaitUnit; label: string }[] = [
  { unit: 'seconds', label: 'seconds' },
  { unit: 'minutes', label: 'minutes' },
  { unit: 'hours', label: 'hours' },
  { unit: 'days', label: 'days' },
];

/** A step's id: letters, digits, - and _, not "end" (nor "next", which the editor uses for the next step). */
export const STEP_ID = /^[\w-]{1,40}$/;

export interface StepForm {
  id: string;
  type: StepType;
  message: MessageForm;
  amount: number | null;
  unit: WaitUnit;
  /** Targets: a step id, `end` or `next`. */
  onReply: string;
  onTimeout: string;
  condition: ConditionForm;
  then: string;
  else: string;
}

export interface FlowForm {
  name: string;
  enabled: boolean;
  exitRules: { onReply: boolean; onResolve: boolean };
  steps: StepForm[];
}

/** An id the flow's steps do not use yet: step-1, step-2... */
export function newStepId(steps: readonly { id: string }[]): string {
  const ids = new Set(steps.map((step) => step.id));
  let n = steps.length + 1;
  while (ids.has(`step-${n}`)) n++;
  return `step-${n}`;
}

export function emptyStep(type: StepType, steps: readonly { id: string }[]): StepForm {
  return {
    id: newStepId(steps),
    type,
    message: emptyMessage(),
    amount: type === 'wait' ? 1 : type === 'wait_for_reply' ? 1 : null,
    unit: type === 'wait_for_reply' ? 'days' : 'hours',
    onReply: NEXT,
    onTimeout: NEXT,
    condition: emptyCondition('tag'),
    then: NEXT,
    else: NEXT,
  };
}

export function emptyFlow(): FlowForm {
  return {
    name: '',
    enabled: true,
    exitRules: { onReply: true, onResolve: true },
    steps: [emptyStep('send', [])],
  };
}

/** The API's target for the form's: left out for the next step. */
export function targetOf(target: string): string | undefined {
  return target === NEXT || target === '' ? undefined : target;
}

export function targetFormOf(target: string | undefined): string {
  return target === undefined || target === '' ? NEXT : target;
}

export function stepOf(form: StepForm): FlowStepDto {
  const jump = (key: 'onReply' | 'onTimeout' | 'then' | 'else') => {
    const target = targetOf(form[key]);
    return target === undefined ? {} : { [key]: target };
  };
  switch (form.type) {
    case 'send':
      return { id: form.id.trim(), type: 'send', message: messageOf(form.message) };
    case 'wait':
      return { id: form.id.trim(), type: 'wait', amount: form.amount ?? 0, unit: form.unit };
    case 'wait_for_reply':
      return {
        id: form.id.trim(),
        type: 'wait_for_reply',
        amount: form.amount ?? 0,
        unit: form.unit,
        ...jump('onReply'),
        ...jump('onTimeout'),
      };
    case 'branch':
      return {
        id: form.id.trim(),
        type: 'branch',
        condition: conditionOf(form.condition),
        ...jump('then'),
        ...jump('else'),
      };
  }
}

export function stepFormOf(step: FlowStepDto, index: number, steps: readonly FlowStepDto[]): StepForm {
  const form = emptyStep(step.type, steps.slice(0, index));
  const condition = step.condition ? conditionFormOf(step.condition) : form.condition;
  return {
    ...form,
    id: step.id,
    message: step.message ? messageFormOf(step.message) : form.message,
    amount: step.amount ?? form.amount,
    unit: step.unit ?? form.unit,
    onReply: targetFormOf(step.onReply),
    onTimeout: targetFormOf(step.onTimeout),
    condition,
    then: targetFormOf(step.then),
    else: targetFormOf(step.else),
  };
}

export function flowFormOf(flow: FlowDto): FlowForm {
  return {
    name: flow.name,
    enabled: flow.enabled,
    exitRules: { ...flow.exitRules },
    steps: flow.steps.map(stepFormOf),
  };
}

export function flowBodyOf(form: FlowForm): Required<CreateFlowDto> {
  return {
    name: form.name.trim(),
    enabled: form.enabled,
    exitRules: { ...form.exitRules },
    steps: form.steps.map(stepOf),
  };
}

/** Where a target leads from the step at `from`: a step's index, or `end` (past the last step, or a step not there). */
export function resolveTarget(steps: readonly { id: string }[], from: number, target: string): number | 'end' {
  if (target === END) return END;
  const index = target === NEXT || target === '' ? from + 1 : steps.findIndex((step) => step.id === target);
  return index === -1 || index >= steps.length ? END : index;
}

/** A target in words: "the next step (3)", "step 5 (thanks)", "the end". */
export function targetLabel(steps: readonly { id: string }[], from: number, target: string): string {
  const to = resolveTarget(steps, from, target);
  if (target !== END && target !== NEXT && target !== '' && to === END) return `a missing step (${target})`;
  if (to === END) return target === NEXT ? 'the end (no step follows)' : 'the end';
  const where = `step ${to + 1} (${steps[to]?.id ?? ''})`;
  return target === NEXT ? `the next step, ${where}` : where;
}

/** The choices for a target from the step at `from`: next, every other step, end. */
export function targetOptions(steps: readonly { id: string }[], from: number): { value: string; label: string }[] {
  return [
    { value: NEXT, label: `Next step${from + 1 < steps.length ? ` (${from + 2})` : ' (none: ends)'}` },
    ...steps
      .map((step, index) => ({ value: step.id, label: `Step ${index + 1}: ${step.id}`, index }))
      .filter((option) => option.index !== from && option.value)
      .map(({ value, label }) => ({ value, label })),
    { value: END, label: 'End the flow' },
  ];
}

/** Renames a step and every jump to it. */
export function renameStep(steps: readonly StepForm[], index: number, id: string): StepForm[] {
  const old = steps[index]?.id;
  const retarget = (target: string) => (old !== undefined && old !== '' && target === old ? id : target);
  return steps.map((step, i) => ({
    ...step,
    ...(i === index && { id }),
    onReply: retarget(step.onReply),
    onTimeout: retarget(step.onTimeout),
    then: retarget(step.then),
    else: retarget(step.else),
  }));
}

/** Removes a step; jumps that named it go to the next step instead. */
export function removeStep(steps: readonly StepForm[], index: number): StepForm[] {
  const gone = steps[index]?.id;
  const retarget = (target: string) => (target === gone ? NEXT : target);
  return steps
    .filter((_, i) => i !== index)
    .map((step) => ({
      ...step,
      onReply: retarget(step.onReply),
      onTimeout: retarget(step.onTimeout),
      then: retarget(step.then),
      else: retarget(step.else),
    }));
}

export function moveStep(steps: readonly StepForm[], index: number, delta: number): StepForm[] {
  return moved(steps, index, delta);
}

const amountInWords = (amount: number | null, unit: WaitUnit) => {
  const n = amount ?? 0;
  return `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
};

/** What a step does and where it goes, in words, for the step list. */
export function stepSummary(steps: readonly StepForm[], index: number): string {
  const step = steps[index];
  if (!step) return '';
  const to = (target: string) => targetLabel(steps, index, target);
  switch (step.type) {
    case 'send':
      return `Send ${messageSummary(messageOf(step.message))}, then go to ${to(NEXT)}.`;
    case 'wait':
      return `Wait ${amountInWords(step.amount, step.unit)}, then go to ${to(NEXT)}.`;
    case 'wait_for_reply':
      return `Wait up to ${amountInWords(step.amount, step.unit)} for a reply: if they answer, go to ${to(step.onReply)}; if not, go to ${to(step.onTimeout)}.`;
    case 'branch': {
      const { condition } = step;
      const test =
        condition.type === 'tag'
          ? `the contact ${condition.op === 'not_has' ? 'is not' : 'is'} tagged “${condition.tag}”`
          : `${condition.key} ${ATTRIBUTE_OPS.find((o) => o.op === condition.op)?.label ?? condition.op}${
              needsValue(condition.op) ? ` “${condition.value}”` : ''
            }`;
      return `If ${test}, go to ${to(step.then)}; otherwise go to ${to(step.else)}.`;
    }
  }
}

/** The branch condition types a step may test, and their operators. */
export const BRANCH_TYPES = [
  { type: 'tag' as const, label: 'Contact tag', ops: TAG_OPS },
  { type: 'attribute' as const, label: 'Contact attribute', ops: ATTRIBUTE_OPS },
];

/** The step ids used more than once, and the steps whose id is not valid: their indexes. */
export function stepIdProblems(steps: readonly { id: string }[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Map<string, number>();
  steps.forEach((step, index) => {
    const id = step.id.trim();
    if (!STEP_ID.test(id) || id === END || id === NEXT)
      problems.set(index, 'Use 1 to 40 letters, digits, - or _ (not “end” or “next”)');
    else if (seen.has(id)) problems.set(index, `Step ${(seen.get(id) ?? 0) + 1} has this id too`);
    else seen.set(id, index);
  });
  return problems;
}
