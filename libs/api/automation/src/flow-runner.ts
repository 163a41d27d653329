import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Attributes } from '@parley/api/contacts';
import { OutboundService, SendMessageDto } from '@parley/api/conversations';
import { DomainError, QueueName, requeue } from '@parley/api/core';
import type { JobOptions, Queue } from 'bull';
import { DataSource, EntityManager } from 'typeorm';
import { FlowEnrollment } from './entities/flow-enrollment.entity';
import { Flow } from './entities/flow.entity';
import { type FlowStep, resolveTarget, waitMs } from './flow-model';
import { conditionHolds } from './rule-model';

/** Wakes an enrollment up: made for one `seq`, so a stale or repeated job does nothing. */
export interface FlowJob {
  orgId: string;
  enrollmentId: string;
  seq: number;
}

/** A wake-up to queue once the transaction that decided it commits. */
export interface ScheduledFlowJob {
  job: FlowJob;
  delayMs: number;
}

export const flowJobId = (job: FlowJob) => `flow-${job.enrollmentId}-${job.seq}`;

const FLOW_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'jitter', options: { baseMs: 2_000 } } as unknown as JobOptions['backoff'],
};

/** Steps run in one go without a wait: more means the flow jumps in a circle. */
const MAX_STEPS_PER_RUN = 50;
/** Enrollments due this long ago without having moved are queued again (their job was lost). */
const SWEEP_AFTER_MS = 30_000;

/**
 * Runs drip flows: enrolls contacts, moves each enrollment through its steps, and lets customer
 * replies, opt-outs and resolved conversations end or branch them. State is in PostgreSQL; a Bull
 * delayed job wakes an enrollment when its wait ends, and the sweeper re-queues any that was lost.
 */
@Injectable()
export class FlowRunner {
  private readonly logger = new Logger(FlowRunner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Automation) private readonly queue: Queue<FlowJob>,
    private readonly outbound: OutboundService,
  ) {}

  /**
   * Enrolls a contact in the caller's transaction; null when the flow is disabled or the contact
   * is already in it. The first step runs once the caller has committed and queued the job.
   */
  async enroll(
    manager: EntityManager,
    input: { orgId: string; flowId: string; contactId: string; phoneNumberId: string; source: string },
  ): Promise<{ enrollment: FlowEnrollment; wake: ScheduledFlowJob } | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO flow_enrollments (org_id, flow_id, contact_id, phone_number_id, source, next_run_at)
       SELECT $1, f.id, $3, $4, $5, now() FROM flows f WHERE f.id = $2 AND f.org_id = $1 AND f.enabled
       ON CONFLICT (flow_id, contact_id) WHERE status = 'active' DO NOTHING
       RETURNING id`,
      [input.orgId, input.flowId, input.contactId, input.phoneNumberId, input.source],
    );
    const id = rows[0]?.id;
    if (!id) return null;
    const enrollment = await manager.findOneByOrFail(FlowEnrollment, { id });
    return { enrollment, wake: { job: { orgId: input.orgId, enrollmentId: id, seq: 0 }, delayMs: 0 } };
  }

  /**
   * A customer message, in the webhook's transaction: an opt-out ends every flow of the contact; a
   * reply a `wait_for_reply` step waits for takes its branch; any other reply ends flows that end
   * on reply. Answers the wake-ups to queue after commit.
   */
  async onInbound(
    manager: EntityManager,
    input: { contactId: string; optedOut: boolean },
  ): Promise<ScheduledFlowJob[]> {
    const active: (FlowEnrollment & { flow: Flow })[] = (await manager
      .getRepository(FlowEnrollment)
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.flow', 'flow')
      .where("e.contactId = :contactId AND e.status = 'active'", { contactId: input.contactId })
      .setLock('pessimistic_write', undefined, ['e'])
      .getMany()) as (FlowEnrollment & { flow: Flow })[];
    const wakes: ScheduledFlowJob[] = [];
    for (const enrollment of active) {
      const step = enrollment.flow.steps[enrollment.step];
      if (input.optedOut) await this.exit(manager, enrollment, 'opted_out');
      else if (enrollment.awaitingReply && step?.type === 'wait_for_reply') {
        const next = {
          step: resolveTarget(enrollment.flow.steps, enrollment.step, step.onReply),
          seq: enrollment.seq + 1,
        };
        await manager.update(
          FlowEnrollment,
          { id: enrollment.id },
          { ...next, awaitingReply: false, nextRunAt: new Date() },
        );
        wakes.push({ job: { orgId: enrollment.orgId, enrollmentId: enrollment.id, seq: next.seq }, delayMs: 0 });
      } else if (enrollment.flow.exitRules.onReply) await this.exit(manager, enrollment, 'replied');
    }
    return wakes;
  }

  /** Queues wake-ups; a failure is left to the sweeper, which finds the enrollment due. */
  async schedule(wakes: ScheduledFlowJob[]): Promise<void> {
    for (const { job, delayMs } of wakes) {
      try {
        await this.queue.add('flow', job, { ...FLOW_JOB_OPTIONS, jobId: flowJobId(job), delay: delayMs });
      } catch (error) {
        this.logger.warn(`enrollment ${job.enrollmentId}: wake-up not queued (the sweeper will): ${String(error)}`);
      }
    }
  }

  /**
   * Moves an enrollment on from where it is until it waits or ends. Sends go through the outbound
   * path with an idempotency key per enrollment, move and step, so a retried job never sends twice.
   */
  async advance(job: FlowJob): Promise<void> {
    const wake = await this.dataSource.transaction(async (manager) => {
      const enrollment = await manager.findOne(FlowEnrollment, {
        where: { id: job.enrollmentId, orgId: job.orgId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!enrollment || enrollment.status !== 'active' || enrollment.seq !== job.seq) return null;
      const flow = await manager.findOneBy(Flow, { id: enrollment.flowId });
      if (!flow) return null;
      const stop = await this.stopReason(manager, enrollment, flow);
      if (stop) {
        await this.exit(manager, enrollment, stop);
        return null;
      }
      const steps = flow.steps;
      const waited = steps[enrollment.step];
      // Woken while waiting for a reply: none came in time.
      let index =
        enrollment.awaitingReply && waited?.type === 'wait_for_reply'
          ? resolveTarget(steps, enrollment.step, waited.onTimeout)
          : enrollment.step;
      for (let ran = 0; ran < MAX_STEPS_PER_RUN; ran += 1) {
        const step = steps[index];
        if (!step) {
          await manager.update(
            FlowEnrollment,
            { id: enrollment.id },
            { status: 'completed', step: index, awaitingReply: false, nextRunAt: null },
          );
          return null;
        }
        if (step.type === 'send') {
          const failure = await this.send(enrollment, step, index);
          if (failure) {
            await this.exit(manager, enrollment, `send_failed: ${failure}`);
            return null;
          }
          index += 1;
        } else if (step.type === 'branch') {
          const holds = await this.contactMatches(manager, enrollment.contactId, step);
          index = resolveTarget(steps, index, holds ? step.then : step.else);
        } else {
          // A wait resumes at the step after it; a reply wait stays on itself until a reply or the timeout.
          const delayMs = waitMs(step);
          const seq = enrollment.seq + 1;
          await manager.update(
            FlowEnrollment,
            { id: enrollment.id },
            {
              step: step.type === 'wait' ? index + 1 : index,
              seq,
              awaitingReply: step.type === 'wait_for_reply',
              nextRunAt: new Date(Date.now() + delayMs),
            },
          );
          return { job: { orgId: enrollment.orgId, enrollmentId: enrollment.id, seq }, delayMs };
        }
      }
      await this.exit(manager, enrollment, 'loop');
      return null;
    });
    if (wake) await this.schedule([wake]);
  }

  /** Queues again the enrollments whose wake-up was lost (Redis flushed, a crash between commit and queue). */
  async sweep(): Promise<number> {
    const due: { id: string; org_id: string; seq: number }[] = await this.dataSource.query(
      `SELECT id, org_id, seq FROM flow_enrollments
       WHERE status = 'active' AND next_run_at < now() - ($1 || ' milliseconds')::interval
       ORDER BY next_run_at LIMIT 500`,
      [SWEEP_AFTER_MS],
    );
    let queued = 0;
    for (const row of due) {
      const job = { orgId: row.org_id, enrollmentId: row.id, seq: row.seq };
      if (await requeue(this.queue, 'flow', job, { ...FLOW_JOB_OPTIONS, jobId: flowJobId(job) })) queued += 1;
    }
    return queued;
  }

  private async exit(manager: EntityManager, enrollment: Pick<FlowEnrollment, 'id'>, reason: string): Promise<void> {
    await manager.update(
      FlowEnrollment,
      { id: enrollment.id },
      { status: 'exited', exitReason: reason.slice(0, 300), awaitingReply: false, nextRunAt: null },
    );
  }

  /** Why the enrollment must end before its next step: the contact opted out, or their conversation was resolved. */
  private async stopReason(manager: EntityManager, enrollment: FlowEnrollment, flow: Flow): Promise<string | null> {
    if (!flow.enabled && enrollment.step === 0 && enrollment.seq === 0) return 'flow_disabled';
    const [row]: { opted_out: boolean; resolved_since: boolean }[] = await manager.query(
      `SELECT c.opt_in_status = 'opted_out' AS opted_out,
              coalesce((SELECT v.status = 'resolved' AND v.resolved_at > $3 FROM conversations v
                        WHERE v.contact_id = c.id AND v.phone_number_id = $2
                        ORDER BY v.last_message_at DESC LIMIT 1), false) AS resolved_since
       FROM contacts c WHERE c.id = $1`,
      [enrollment.contactId, enrollment.phoneNumberId, enrollment.createdAt],
    );
    if (!row) return 'contact_deleted';
    if (row.opted_out) return 'opted_out';
    if (flow.exitRules.onResolve && row.resolved_since) return 'resolved';
    return null;
  }

  /** Sends a step's message as the flow (no member); answers why it could not, or null. */
  private async send(enrollment: FlowEnrollment, step: FlowStep, index: number): Promise<string | null> {
    if (!step.message) return 'the step has no message';
    try {
      await this.outbound.sendToContact(
        enrollment.orgId,
        { contactId: enrollment.contactId, phoneNumberId: enrollment.phoneNumberId },
        step.message as unknown as SendMessageDto,
        { senderId: null, idempotencyKey: `flow:${enrollment.id}:${enrollment.seq}:${index}` },
      );
      return null;
    } catch (error) {
      // A message Meta's rules refuse (window closed, opted out, template not approved) won't go on retry.
      if (error instanceof DomainError && error.status < 500) return error.message;
      throw error;
    }
  }

  private async contactMatches(manager: EntityManager, contactId: string, step: FlowStep): Promise<boolean> {
    if (!step.condition) return false;
    const [contact]: { tags: string[]; attributes: Attributes }[] = await manager.query(
      'SELECT tags, attributes FROM contacts WHERE id = $1',
      [contactId],
    );
    return conditionHolds(step.condition, {
      tags: contact?.tags ?? [],
      attributes: contact?.attributes ?? {},
      status: 'open',
      assigneeId: null,
      botActive: true,
      timezone: 'UTC',
      now: new Date(),
    });
  }
}
