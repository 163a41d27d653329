import type { FlowDto } from '@parley/console/api-client';
import {
  END,
  flowBodyOf,
  flowFormOf,
  NEXT,
  removeStep,
  renameStep,
  resolveTarget,
  stepIdProblems,
  stepSummary,
  targetLabel,
  targetOptions,
} from './flow-form';

/** A post-purchase follow-up: thank, wait, ask, and branch on the answer's tag. */
const followUp: FlowDto = {
  id: 'f0f0f0f0-0000-4000-8000-000000000001',
  name: 'Post-purchase follow-up',
  enabled: true,
  exitRules: { onReply: false, onResolve: true },
  enrollments: { active: 2, completed: 5, exited: 1 },
  createdAt: '2026-05-01T10:00:00.000Z',
  updatedAt: '2026-05-01T10:00:00.000Z',
  steps: [
    { id: 'thanks', type: 'send', message: { type: 'text', text: { body: 'Thanks for your order!' } } },
    { id: 'pause', type: 'wait', amount: 2, unit: 'days' },
    {
      id: 'ask',
      type: 'wait_for_reply',
      amount: 1,
      unit: 'days',
      onReply: 'check',
      onTimeout: 'end',
    },
    { id: 'check', type: 'branch', condition: { type: 'tag', op: 'has', tag: 'happy' }, else: 'sorry' },
    { id: 'glad', type: 'send', message: { type: 'text', text: { body: 'Glad you liked it!' } } },
    { id: 'sorry', type: 'send', message: { type: 'text', text: { body: 'Sorry to hear that.' } } },
  ],
};

describe('a flow’s steps and where they lead', () => {
  const form = flowFormOf(followUp);

  it('reads a flow and writes it back unchanged, a left-out target meaning the next step', () => {
    expect(form.steps[3]?.then).toBe(NEXT);
    expect(form.steps[2]?.onTimeout).toBe(END);
    const { id: _id, enrollments: _e, createdAt: _c, updatedAt: _u, ...definition } = followUp;
    expect(flowBodyOf(form)).toEqual(definition);
  });

  it('resolves targets: next, a step by id, the end, and past the last step', () => {
    expect(resolveTarget(form.steps, 0, NEXT)).toBe(1);
    expect(resolveTarget(form.steps, 2, 'check')).toBe(3);
    expect(resolveTarget(form.steps, 2, END)).toBe(END);
    expect(resolveTarget(form.steps, 5, NEXT)).toBe(END);
    expect(resolveTarget(form.steps, 0, 'gone')).toBe(END);
  });

  it('names targets in words', () => {
    expect(targetLabel(form.steps, 3, NEXT)).toBe('the next step, step 5 (glad)');
    expect(targetLabel(form.steps, 3, 'sorry')).toBe('step 6 (sorry)');
    expect(targetLabel(form.steps, 2, END)).toBe('the end');
    expect(targetLabel(form.steps, 5, NEXT)).toBe('the end (no step follows)');
    expect(targetLabel(form.steps, 0, 'gone')).toBe('a missing step (gone)');
  });

  it('offers the next step, every other step and the end as targets', () => {
    expect(targetOptions(form.steps, 4).map((option) => option.value)).toEqual([
      NEXT,
      'thanks',
      'pause',
      'ask',
      'check',
      'sorry',
      END,
    ]);
    expect(targetOptions(form.steps, 5)[0]?.label).toBe('Next step (none: ends)');
  });

  it('says what each step does', () => {
    expect(stepSummary(form.steps, 1)).toBe('Wait 2 days, then go to the next step, step 3 (ask).');
    expect(stepSummary(form.steps, 2)).toBe(
      'Wait up to 1 day for a reply: if they answer, go to step 4 (check); if not, go to the end.',
    );
    expect(stepSummary(form.steps, 3)).toBe(
      'If the contact is tagged “happy”, go to the next step, step 5 (glad); otherwise go to step 6 (sorry).',
    );
  });

  it('renames a step and the jumps to it', () => {
    const renamed = renameStep(form.steps, 5, 'apology');
    expect(renamed[5]?.id).toBe('apology');
    expect(renamed[3]?.else).toBe('apology');
  });

  it('removes a step, sending the jumps to it to the next step', () => {
    const removed = removeStep(form.steps, 3);
    expect(removed.map((step) => step.id)).toEqual(['thanks', 'pause', 'ask', 'glad', 'sorry']);
    expect(removed[2]?.onReply).toBe(NEXT);
  });

  it('finds step ids that are used twice or not valid', () => {
    const problems = stepIdProblems([{ id: 'a' }, { id: 'a' }, { id: 'end' }, { id: 'has space' }, { id: 'ok' }]);
    expect([...problems.keys()]).toEqual([1, 2, 3]);
    expect(problems.get(1)).toBe('Step 1 has this id too');
  });
});
