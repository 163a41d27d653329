import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@parley/api/audit';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  ErrorCode,
  FieldError,
  isBigintId,
  isUuid,
  OrgConfigCache,
  Page,
  toPage,
} from '@parley/api/core';
import { DataSource, EntityManager } from 'typeorm';
import type {
  AutomationRunsQuery,
  CreateAutomationRuleDto,
  ReorderAutomationRulesDto,
  UpdateAutomationRuleDto,
} from './dto/automation.dto';
import { AutomationRule } from './entities/automation-rule.entity';
import { AutomationRun } from './entities/automation-run.entity';
import { type RuleDefinition, ruleProblems } from './rule-model';
import { STARTER_BOT, starterBotRules } from './starter-bot';

/** A 422 listing every problem, each naming its field. */
export function automationInvalid(problems: FieldError[]): DomainError {
  return new DomainError(ErrorCode.AutomationInvalid, problems.map((p) => p.message).join('; '), problems);
}

/** An org's automation rules: kept in order, checked before they are saved, each firing logged. */
@Injectable()
export class AutomationRulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cache: OrgConfigCache,
  ) {}

  list(orgId: string): Promise<AutomationRule[]> {
    return this.dataSource
      .getRepository(AutomationRule)
      .find({ where: { orgId }, order: { position: 'ASC', createdAt: 'ASC' } });
  }

  async get(orgId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<AutomationRule> {
    const rule = isUuid(id) ? await manager.findOneBy(AutomationRule, { orgId, id }) : null;
    if (!rule) throw DomainError.notFound('Automation rule');
    return rule;
  }

  /** A new rule goes last. */
  async create(orgId: string, input: CreateAutomationRuleDto): Promise<AutomationRule> {
    const definition = { trigger: input.trigger, conditions: input.conditions ?? [], actions: input.actions };
    await this.check(orgId, definition);
    return this.changing(orgId, async (manager) => {
      await this.lockOrder(manager, orgId);
      const [{ next }]: { next: number }[] = await manager.query(
        'SELECT coalesce(max(position) + 1, 0)::int AS next FROM automation_rules WHERE org_id = $1',
        [orgId],
      );
      const rule = await manager.save(
        manager.create(AutomationRule, {
          orgId,
          name: input.name,
          enabled: input.enabled ?? true,
          position: next,
          ...definition,
          stopAfterMatch: input.stopAfterMatch ?? true,
          cooldownSeconds: input.cooldownSeconds ?? 0,
          preset: null,
        }),
      );
      await this.record(manager, orgId, 'automation_rule.created', rule.id, { after: { name: rule.name } });
      return rule;
    });
  }

  async update(orgId: string, id: string, input: UpdateAutomationRuleDto): Promise<AutomationRule> {
    const current = await this.get(orgId, id);
    const definition = {
      trigger: input.trigger ?? current.trigger,
      conditions: input.conditions ?? current.conditions,
      actions: input.actions ?? current.actions,
    };
    await this.check(orgId, definition);
    return this.changing(orgId, async (manager) => {
      const rule = await this.get(orgId, id, manager);
      const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      const saved = await manager.save(Object.assign(rule, changes));
      await this.record(manager, orgId, 'automation_rule.updated', id, { after: { fields: Object.keys(changes) } });
      return saved;
    });
  }

  async delete(orgId: string, id: string): Promise<void> {
    await this.changing(orgId, async (manager) => {
      const rule = await this.get(orgId, id, manager);
      await manager.delete(AutomationRule, { id: rule.id });
      await this.record(manager, orgId, 'automation_rule.deleted', id, { before: { name: rule.name } });
    });
  }

  /** Rewrites the order: `ids` must name every rule of the org exactly once. */
  async reorder(orgId: string, input: ReorderAutomationRulesDto): Promise<AutomationRule[]> {
    await this.changing(orgId, async (manager) => {
      await this.lockOrder(manager, orgId);
      const rows: { id: string }[] = await manager.query('SELECT id FROM automation_rules WHERE org_id = $1', [orgId]);
      const known = new Set(rows.map((row) => row.id));
      const given = new Set(input.ids);
      if (given.size !== input.ids.length || given.size !== known.size || input.ids.some((id) => !known.has(id)))
        throw DomainError.invalidField(ErrorCode.ValidationFailed, 'ids', "ids must list every rule's id exactly once");
      await manager.query(
        `UPDATE automation_rules r SET position = o.position - 1, updated_at = now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, position)
         WHERE r.org_id = $1 AND r.id = o.id`,
        [orgId, input.ids],
      );
      await this.record(manager, orgId, 'automation_rules.reordered', null, { after: { ids: input.ids } });
    });
    return this.list(orgId);
  }

  /** The rule log, newest first, for one rule or conversation or the whole org. */
  async runs(orgId: string, query: AutomationRunsQuery): Promise<Page<AutomationRun>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const qb = this.dataSource
      .getRepository(AutomationRun)
      .createQueryBuilder('run')
      .innerJoinAndSelect('run.rule', 'rule')
      .where('run.orgId = :orgId', { orgId });
    if (query.ruleId) qb.andWhere('run.ruleId = :ruleId', { ruleId: query.ruleId });
    if (query.conversationId)
      qb.andWhere('run.conversationId = :conversationId', { conversationId: query.conversationId });
    if (query.cursor) qb.andWhere('run.id < :before', { before: decodeCursor(query.cursor, [isBigintId])[0] });
    const rows = await qb
      .orderBy('run.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, (last) => [last.id]);
  }

  async starterBot(orgId: string): Promise<{ enabled: boolean; rules: AutomationRule[] }> {
    const rules = (await this.list(orgId)).filter((rule) => rule.preset === STARTER_BOT);
    return { enabled: rules.some((rule) => rule.enabled), rules };
  }

  /**
   * Switches the starter bot on or off. The first time, its rules are added ahead of the org's own
   * (which move down); after that the switch only enables or disables them, keeping any edits.
   */
  async setStarterBot(orgId: string, enabled: boolean): Promise<{ enabled: boolean; rules: AutomationRule[] }> {
    await this.changing(orgId, async (manager) => {
      await this.lockOrder(manager, orgId);
      const existing = await manager.countBy(AutomationRule, { orgId, preset: STARTER_BOT });
      if (existing > 0) {
        await manager.update(AutomationRule, { orgId, preset: STARTER_BOT }, { enabled });
      } else if (enabled) {
        const rules = starterBotRules();
        await manager.query('UPDATE automation_rules SET position = position + $2 WHERE org_id = $1', [
          orgId,
          rules.length,
        ]);
        await manager.save(
          rules.map((rule, position) =>
            manager.create(AutomationRule, { ...rule, orgId, position, enabled: true, preset: STARTER_BOT }),
          ),
        );
      }
      await this.record(manager, orgId, enabled ? 'starter_bot.enabled' : 'starter_bot.disabled', null, {
        after: { enabled },
      });
    });
    return this.starterBot(orgId);
  }

  /** The rule model's checks, then what needs the database: flows and members it names must be this org's. */
  private async check(orgId: string, definition: RuleDefinition): Promise<void> {
    const problems = ruleProblems(definition);
    if (problems.length === 0) {
      for (const [i, action] of definition.actions.entries()) {
        if (action.type === 'enroll_flow') {
          const [flow] = await this.dataSource.query('SELECT 1 FROM flows WHERE org_id = $1 AND id = $2', [
            orgId,
            action.flowId,
          ]);
          if (!flow)
            problems.push({
              field: `actions[${i}].flowId`,
              message: `actions[${i}].flowId is not a flow of this organization`,
            });
        }
        if (action.type === 'call_webhook') {
          const [subscription] = await this.dataSource.query(
            'SELECT 1 FROM webhook_subscriptions WHERE org_id = $1 AND id = $2',
            [orgId, action.subscriptionId],
          );
          if (!subscription)
            problems.push({
              field: `actions[${i}].subscriptionId`,
              message: `actions[${i}].subscriptionId is not a webhook subscription of this organization`,
            });
        }
        if (action.type === 'assign' && action.userIds?.length) {
          const members: { user_id: string }[] = await this.dataSource.query(
            "SELECT user_id FROM memberships WHERE org_id = $1 AND user_id = ANY($2::uuid[]) AND role <> 'viewer'",
            [orgId, action.userIds],
          );
          const missing = action.userIds.filter((id) => !members.some((m) => m.user_id === id));
          if (missing.length > 0)
            problems.push({
              field: `actions[${i}].userIds`,
              message: `${missing.join(', ')} ${missing.length === 1 ? 'is not an agent' : 'are not agents'} of this organization`,
            });
        }
      }
    }
    if (problems.length > 0) throw automationInvalid(problems);
  }

  /** A change to the org's rules, in a transaction; once it commits, every process reads the rules afresh. */
  private async changing<T>(orgId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    await this.cache.changed('automation_rules', orgId);
    return result;
  }

  /** Serializes changes to an org's rule order (creates, reorders, the starter bot). */
  private async lockOrder(manager: EntityManager, orgId: string): Promise<void> {
    await manager.query("SELECT pg_advisory_xact_lock(hashtext('automation_rules:' || $1))", [orgId]);
  }

  private record(
    manager: EntityManager,
    orgId: string,
    action: string,
    targetId: string | null,
    changes: Record<string, unknown>,
  ) {
    return this.audit.record(manager, { orgId, action, targetType: 'automation_rule', targetId, changes });
  }
}
