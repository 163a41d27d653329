import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  ErrorCode,
  isIsoTimestamp,
  isUuid,
  Page,
  toPage,
} from '@parley/api/core';
import { DataSource, EntityManager } from 'typeorm';
import { automationInvalid } from './automation-rules.service';
import type { CreateFlowDto, FlowEnrollmentCountsDto, FlowEnrollmentsQuery, UpdateFlowDto } from './dto/automation.dto';
import { FlowEnrollment } from './entities/flow-enrollment.entity';
import { Flow } from './entities/flow.entity';
import { flowProblems } from './flow-model';
import { FlowRunner } from './flow-runner';

const DEFAULT_EXIT_RULES = { onReply: true, onResolve: true };

/** Drip flows: their definitions, and enrolling contacts by hand or from a partner's system. */
@Injectable()
export class FlowsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: FlowRunner,
    private readonly audit: AuditService,
  ) {}

  list(orgId: string): Promise<Flow[]> {
    return this.dataSource.getRepository(Flow).find({ where: { orgId }, order: { createdAt: 'ASC' } });
  }

  async get(orgId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Flow> {
    const flow = isUuid(id) ? await manager.findOneBy(Flow, { orgId, id }) : null;
    if (!flow) throw DomainError.notFound('Flow');
    return flow;
  }

  /** How many contacts are in each state, per flow. */
  async counts(orgId: string, flowIds: string[]): Promise<Map<string, FlowEnrollmentCountsDto>> {
    const rows: { flow_id: string; active: number; completed: number; exited: number }[] = await this.dataSource.query(
      `SELECT flow_id,
              count(*) FILTER (WHERE status = 'active')::int AS active,
              count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'exited')::int AS exited
       FROM flow_enrollments WHERE org_id = $1 AND flow_id = ANY($2::uuid[]) GROUP BY flow_id`,
      [orgId, flowIds],
    );
    const counts = new Map(flowIds.map((id) => [id, { active: 0, completed: 0, exited: 0 }]));
    for (const row of rows)
      counts.set(row.flow_id, { active: row.active, completed: row.completed, exited: row.exited });
    return counts;
  }

  async create(orgId: string, input: CreateFlowDto): Promise<Flow> {
    this.check(input.steps, input.exitRules);
    return this.dataSource.transaction(async (manager) => {
      const flow = await manager.save(
        manager.create(Flow, {
          orgId,
          name: input.name,
          enabled: input.enabled ?? true,
          steps: input.steps,
          exitRules: { ...DEFAULT_EXIT_RULES, ...input.exitRules },
        }),
      );
      await this.record(manager, orgId, 'flow.created', flow.id, { after: { name: flow.name } });
      return flow;
    });
  }

  /** Contacts already in the flow carry on from their step index in the new steps. */
  async update(orgId: string, id: string, input: UpdateFlowDto): Promise<Flow> {
    if (input.steps || input.exitRules) this.check(input.steps ?? (await this.get(orgId, id)).steps, input.exitRules);
    return this.dataSource.transaction(async (manager) => {
      const flow = await this.get(orgId, id, manager);
      const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      if (input.exitRules) changes['exitRules'] = { ...flow.exitRules, ...input.exitRules };
      const saved = await manager.save(Object.assign(flow, changes));
      await this.record(manager, orgId, 'flow.updated', id, { after: { fields: Object.keys(changes) } });
      return saved;
    });
  }

  /** Deletes the flow; contacts in it stop where they are. */
  async delete(orgId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const flow = await this.get(orgId, id, manager);
      await manager.delete(Flow, { id: flow.id });
      await this.record(manager, orgId, 'flow.deleted', id, { before: { name: flow.name } });
    });
  }

  /**
   * Enrolls a contact (from the API or the console): they get the first step now, from the number
   * they last talked to (else the org's first). 409 when they are already in the flow.
   */
  async enroll(orgId: string, flowId: string, contactId: string): Promise<FlowEnrollment> {
    const enrolled = await this.dataSource.transaction(async (manager) => {
      const flow = await this.get(orgId, flowId, manager);
      if (!flow.enabled)
        throw DomainError.invalidField(ErrorCode.AutomationInvalid, 'flowId', 'This flow is disabled: enable it first');
      const [contact]: { id: string; number: string | null }[] = await manager.query(
        `SELECT c.id, coalesce(
                  (SELECT v.phone_number_id FROM conversations v WHERE v.contact_id = c.id ORDER BY v.last_message_at DESC LIMIT 1),
                  (SELECT p.id FROM phone_numbers p WHERE p.org_id = c.org_id ORDER BY p.created_at LIMIT 1)) AS number
         FROM contacts c WHERE c.org_id = $1 AND c.id = $2 AND c.erased_at IS NULL`,
        [orgId, isUuid(contactId) ? contactId : null],
      );
      if (!contact)
        throw DomainError.invalidField(
          ErrorCode.ValidationFailed,
          'contactId',
          'contactId is not a contact of this organization',
        );
      if (!contact.number)
        throw DomainError.invalidField(
          ErrorCode.ValidationFailed,
          'contactId',
          'This organization has no WhatsApp number yet',
        );
      const result = await this.runner.enroll(manager, {
        orgId,
        flowId: flow.id,
        contactId: contact.id,
        phoneNumberId: contact.number,
        source: 'api',
      });
      if (!result)
        throw DomainError.invalidField(ErrorCode.AlreadyEnrolled, 'contactId', 'The contact is already in this flow');
      await this.record(manager, orgId, 'flow.enrolled', flow.id, { after: { contactId: contact.id } });
      return result;
    });
    await this.runner.schedule([enrolled.wake]);
    return enrolled.enrollment;
  }

  /** A flow's enrollments, newest first. */
  async enrollments(orgId: string, flowId: string, query: FlowEnrollmentsQuery): Promise<Page<FlowEnrollment>> {
    const flow = await this.get(orgId, flowId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.dataSource
      .getRepository(FlowEnrollment)
      .createQueryBuilder('e')
      .where('e.orgId = :orgId AND e.flowId = :flowId', { orgId, flowId: flow.id });
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, [isIsoTimestamp, isUuid]);
      qb.andWhere('(e.createdAt, e.id) < (:at, :id)', { at, id });
    }
    const rows = await qb
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.createdAt.toISOString(), last.id]);
  }

  private check(steps: CreateFlowDto['steps'], exitRules: CreateFlowDto['exitRules']): void {
    const problems = flowProblems(steps);
    if (exitRules)
      for (const key of ['onReply', 'onResolve'] as const)
        if (exitRules[key] !== undefined && typeof exitRules[key] !== 'boolean')
          problems.push({ field: `exitRules.${key}`, message: `exitRules.${key} must be true or false` });
    if (problems.length > 0) throw automationInvalid(problems);
  }

  private record(
    manager: EntityManager,
    orgId: string,
    action: string,
    targetId: string,
    changes: Record<string, unknown>,
  ) {
    return this.audit.record(manager, { orgId, action, targetType: 'flow', targetId, changes });
  }
}
