import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Attributes, ContactsService } from '@parley/api/contacts';
import { InboxEvents, Note, OutboundService } from '@parley/api/conversations';
import { deliverPartnerEvent, OrgConfigCache, preparedQuery, returning } from '@parley/api/core';
import type { BusinessHours } from '@parley/api/organizations';
import { PresenceService } from '@parley/api/realtime';
import { isWindowOpen } from '@parley/whatsapp/cloud-api';
import { DataSource, EntityManager, In } from 'typeorm';
import { AutomationRule } from './entities/automation-rule.entity';
import type { ActionResult, RunOutcome } from './entities/automation-run.entity';
import { FlowRunner, type ScheduledFlowJob } from './flow-runner';
import {
  type Action,
  conditionHolds,
  outsideBusinessHours,
  SPEAKING_ACTIONS,
  type Subject,
  textMatches,
} from './rule-model';

/** A customer message as automation sees it, once the webhook stored it. */
export interface InboundTrigger {
  orgId: string;
  /** Our phone number row. */
  phoneNumberId: string;
  messageId: string;
  conversationId: string;
  contactId: string;
  newConversation: boolean;
  /** An opt-out or opt-in word: the platform answered it; rules stay out of it. */
  optIn: 'opt_out' | 'opt_in' | null;
  type: string;
  body: string;
  /** The button or list row tapped. */
  replyId: string | null;
}

/** A rule's `ai_reply`, handed to AI triage once the transaction commits. */
export interface AutoReplyRequest {
  orgId: string;
  messageId: string;
  conversationId: string;
  ruleId: string;
  minConfidence: number;
  fallbackText: string;
  handoffText: string;
}

/** What automation changed in the caller's transaction, and what to do once it commits. */
export class AutomationOutcome {
  /** Messages stored `queued`: publish and queue them. */
  readonly replies: string[] = [];
  readonly conversations = new Set<string>();
  readonly notes: string[] = [];
  readonly flowWakes: ScheduledFlowJob[] = [];
  readonly autoReplies: AutoReplyRequest[] = [];
}

/** Where a rule acts: the contact, and the conversation (if any) it answers in. */
interface Target {
  orgId: string;
  contactId: string;
  conversationId: string | null;
  phoneNumberId: string | null;
  messageId: string | null;
  windowOpen: boolean;
}

/** How long after a campaign's message a reply still enters the campaign's reply flow. */
const CAMPAIGN_REPLY_WINDOW = "interval '72 hours'";

/** At most this many automated messages to one conversation in LOOP_WINDOW: beyond, two bots are talking to each other. */
const LOOP_LIMIT = 10;
const LOOP_WINDOW_MINUTES = 10;

/**
 * Evaluates an org's rules, in order, on what happened (a customer message in the webhook's own
 * transaction, an idle conversation, a tag a person added) and runs the actions of those that
 * match. Automation only ever reacts to customers and people: its own messages and tag changes are
 * no trigger, so a rule can't set itself off. Every firing is logged (`automation_runs`), at most
 * once per rule and message, so a webhook applied twice fires nothing twice.
 */
@Injectable()
export class AutomationEngine {
  private readonly logger = new Logger(AutomationEngine.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly outbound: OutboundService,
    private readonly inbox: InboxEvents,
    private readonly presence: PresenceService,
    private readonly flows: FlowRunner,
    private readonly cache: OrgConfigCache,
  ) {}

  /** A customer message, in the transaction that stored it. */
  async onInbound(manager: EntityManager, trigger: InboundTrigger, outcome: AutomationOutcome): Promise<void> {
    const forRules = !trigger.optIn && trigger.type !== 'reaction';
    const probe = await this.probe(manager, trigger, forRules);
    if (probe.inFlow)
      outcome.flowWakes.push(
        ...(await this.flows.onInbound(manager, {
          contactId: trigger.contactId,
          optedOut: trigger.optIn === 'opt_out',
        })),
      );
    if (!forRules) return;
    if (probe.campaignId && probe.replyFlowId) {
      const enrolled = await this.flows.enroll(manager, {
        orgId: trigger.orgId,
        flowId: probe.replyFlowId,
        contactId: trigger.contactId,
        phoneNumberId: trigger.phoneNumberId,
        source: `campaign:${probe.campaignId}`,
      });
      if (enrolled) outcome.flowWakes.push(enrolled.wake);
    }
    const rules = await this.rules(trigger.orgId);
    if (rules.length === 0) return;
    const subject = await this.subject(manager, trigger.orgId, trigger.contactId, trigger.conversationId);
    if (!subject) return;
    const fired = (rule: AutomationRule): boolean => {
      const t = rule.trigger;
      switch (t.type) {
        case 'message':
          return textMatches(t, trigger.body);
        case 'new_conversation':
          return trigger.newConversation;
        case 'interactive_reply':
          return trigger.replyId !== null && (t.replyIds ?? []).includes(trigger.replyId);
        case 'outside_business_hours':
          return outsideBusinessHours(subject.businessHours, subject.timezone, subject.now);
        default:
          return false;
      }
    };
    const target: Target = { ...trigger, windowOpen: true };
    await this.evaluate(manager, rules.filter(fired), target, subject, outcome);
  }

  /**
   * One light statement for what most customer messages get "no" to: is the customer in a flow,
   * and (`withCampaign`) are they answering a campaign that names a reply flow, its message in this
   * conversation within CAMPAIGN_REPLY_WINDOW, which has not put them through that flow yet. The
   * campaign probe starts from the org's campaigns with a reply flow that may have sent within the
   * window (usually none), then takes the recipient by campaign and contact, then its message.
   */
  private async probe(
    manager: EntityManager,
    trigger: InboundTrigger,
    withCampaign: boolean,
  ): Promise<{ inFlow: boolean; campaignId: string | null; replyFlowId: string | null }> {
    const [row] = await preparedQuery<{ inFlow: boolean; campaignId: string | null; replyFlowId: string | null }>(
      manager,
      `SELECT EXISTS (SELECT 1 FROM flow_enrollments WHERE contact_id = $2 AND status = 'active') AS "inFlow",
              reply.id AS "campaignId", reply.reply_flow_id AS "replyFlowId"
       FROM (SELECT 1) one LEFT JOIN LATERAL (
         SELECT c.id, c.reply_flow_id FROM campaigns c
         JOIN campaign_recipients r ON r.campaign_id = c.id AND r.contact_id = $2
         JOIN messages m ON m.id = r.message_id
         WHERE $4::boolean AND c.org_id = $3 AND c.reply_flow_id IS NOT NULL
           AND (c.completed_at IS NULL OR c.completed_at > now() - ${CAMPAIGN_REPLY_WINDOW})
           AND m.conversation_id = $1 AND m.created_at > now() - ${CAMPAIGN_REPLY_WINDOW}
           AND NOT EXISTS (SELECT 1 FROM flow_enrollments e WHERE e.contact_id = $2 AND e.source = 'campaign:' || c.id)
         ORDER BY m.created_at DESC LIMIT 1
       ) reply ON true`,
      [trigger.conversationId, trigger.contactId, trigger.orgId, withCampaign],
    );
    return row ?? { inFlow: false, campaignId: null, replyFlowId: null };
  }

  /** A tag a person or partner added to a contact (not automation's own). */
  async onContactTagged(orgId: string, contactId: string, tags: string[]): Promise<void> {
    await this.inTransaction(orgId, async (manager, outcome) => {
      const rules = (await this.rules(orgId)).filter(
        (rule) => rule.trigger.type === 'contact_tagged' && tags.includes(rule.trigger.tag ?? ''),
      );
      if (rules.length === 0) return;
      const [conversation]: { id: string; phone_number_id: string; last_inbound_at: Date | null }[] =
        await manager.query(
          `SELECT id, phone_number_id, last_inbound_at FROM conversations
           WHERE org_id = $1 AND contact_id = $2 AND status <> 'resolved' ORDER BY last_message_at DESC LIMIT 1`,
          [orgId, contactId],
        );
      const subject = await this.subject(manager, orgId, contactId, conversation?.id ?? null);
      if (!subject) return;
      const target: Target = {
        orgId,
        contactId,
        conversationId: conversation?.id ?? null,
        phoneNumberId: conversation?.phone_number_id ?? null,
        messageId: null,
        windowOpen: isWindowOpen(conversation?.last_inbound_at ?? null),
      };
      await this.evaluate(manager, rules, target, subject, outcome);
    });
  }

  /**
   * Fires `conversation_idle` rules on open conversations quiet for the rule's minutes, once per
   * quiet spell (a run after the last message means it already fired). Set-based: one query per rule.
   */
  async scanIdle(): Promise<number> {
    const rules = await this.dataSource
      .getRepository(AutomationRule)
      .createQueryBuilder('rule')
      .where("rule.enabled AND rule.trigger ->> 'type' = 'conversation_idle'")
      .getMany();
    let fired = 0;
    for (const rule of rules) {
      const idle: { id: string; contact_id: string; phone_number_id: string; last_inbound_at: Date | null }[] =
        await this.dataSource.query(
          `SELECT v.id, v.contact_id, v.phone_number_id, v.last_inbound_at FROM conversations v
           WHERE v.org_id = $1 AND v.status <> 'resolved'
             AND v.last_message_at < now() - ($2 || ' minutes')::interval
             AND v.last_message_at > now() - ($2 || ' minutes')::interval - interval '1 day'
             AND NOT EXISTS (SELECT 1 FROM automation_runs r
                             WHERE r.org_id = v.org_id AND r.rule_id = $3 AND r.conversation_id = v.id AND r.created_at > v.last_message_at)
           ORDER BY v.last_message_at LIMIT 200`,
          [rule.orgId, rule.trigger.minutes ?? 60, rule.id],
        );
      for (const conversation of idle) {
        await this.inTransaction(rule.orgId, async (manager, outcome) => {
          const subject = await this.subject(manager, rule.orgId, conversation.contact_id, conversation.id);
          if (!subject) return;
          const target: Target = {
            orgId: rule.orgId,
            contactId: conversation.contact_id,
            conversationId: conversation.id,
            phoneNumberId: conversation.phone_number_id,
            messageId: null,
            windowOpen: isWindowOpen(conversation.last_inbound_at),
          };
          await this.evaluate(manager, [rule], target, subject, outcome);
        });
        fired += 1;
      }
    }
    return fired;
  }

  /** What follows a committed outcome: realtime events, queued sends, flow wake-ups, AI replies. */
  async afterCommit(orgId: string, outcome: AutomationOutcome): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['queue replies', () => Promise.all(outcome.replies.map((id) => this.outbound.enqueue({ id, orgId })))],
      ['publish replies', () => this.inbox.messages(orgId, 'message.created', outcome.replies)],
      ['publish conversations', () => this.inbox.conversations(orgId, [...outcome.conversations])],
      ['publish notes', () => this.publishNotes(orgId, outcome.notes)],
      ['queue flow steps', () => this.flows.schedule(outcome.flowWakes)],
      ['queue AI replies', () => Promise.all(outcome.autoReplies.map((request) => this.autoReplyHandler(request)))],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.warn(`org ${orgId}: could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Runs `work` in a transaction of its own, then its follow-ups. */
  private async inTransaction(
    orgId: string,
    work: (manager: EntityManager, outcome: AutomationOutcome) => Promise<void>,
  ): Promise<void> {
    const outcome = new AutomationOutcome();
    await this.dataSource.transaction((manager) => work(manager, outcome));
    await this.afterCommit(orgId, outcome);
  }

  /**
   * Where `ai_reply` actions go once their transaction committed: set by the AI feature (which
   * depends on this one, not the reverse). Without it, AI replies are skipped with a warning.
   */
  autoReplyHandler: (request: AutoReplyRequest) => Promise<void> = async (request) => {
    this.logger.warn(`rule ${request.ruleId}: no AI feature loaded; AI reply skipped`);
  };

  /** The org's enabled rules in order, cached (asked on every customer message; AutomationRulesService announces changes). */
  private rules(orgId: string): Promise<readonly AutomationRule[]> {
    return this.cache.get('automation_rules', orgId, () =>
      this.dataSource
        .getRepository(AutomationRule)
        .find({ where: { orgId, enabled: true }, order: { position: 'ASC' } }),
    );
  }

  private async subject(
    manager: EntityManager,
    orgId: string,
    contactId: string,
    conversationId: string | null,
  ): Promise<(Subject & { businessHours: BusinessHours | null }) | null> {
    const [row]: {
      tags: string[];
      attributes: Attributes;
      status: Subject['status'] | null;
      assignee_id: string | null;
      bot_active: boolean | null;
      timezone: string;
      business_hours: BusinessHours | null;
    }[] = await manager.query(
      `SELECT c.tags, c.attributes, v.status, v.assignee_id, v.bot_active, o.timezone, o.business_hours
       FROM contacts c JOIN organizations o ON o.id = c.org_id
       LEFT JOIN conversations v ON v.id = $2 AND v.org_id = c.org_id
       WHERE c.id = $1 AND c.org_id = $3 AND c.erased_at IS NULL`,
      [contactId, conversationId, orgId],
    );
    if (!row) return null;
    return {
      tags: row.tags,
      attributes: row.attributes,
      status: row.status ?? 'resolved',
      assigneeId: row.assignee_id,
      botActive: row.bot_active ?? true,
      timezone: row.timezone,
      businessHours: row.business_hours,
      now: new Date(),
    };
  }

  /** Tries the triggered rules in order: conditions, the handoff rule, cooldown and the loop guard, then the actions. */
  private async evaluate(
    manager: EntityManager,
    rules: readonly AutomationRule[],
    target: Target,
    subject: Subject,
    outcome: AutomationOutcome,
  ): Promise<void> {
    for (const rule of rules) {
      if (!rule.conditions.every((condition) => conditionHolds(condition, subject))) continue;
      const speaks = rule.actions.some((action) => SPEAKING_ACTIONS.has(action.type));
      // Handed off: the bot stays quiet unless a rule asks about the bot's state itself.
      const asksAboutBot = rule.conditions.some((condition) => condition.type === 'bot');
      if (speaks && !subject.botActive && !asksAboutBot) continue;
      const held = await this.heldBack(manager, rule, target, speaks);
      const runId = await this.log(manager, rule, target, held ?? 'fired');
      // Null: this rule already ran on this message (the webhook was applied again).
      if (runId && !held) {
        const results: ActionResult[] = [];
        for (const action of rule.actions)
          results.push(await this.act(manager, rule, action, target, subject, outcome));
        const failed = results.some((result) => !result.ok);
        await manager.query('UPDATE automation_runs SET results = $2, outcome = $3 WHERE id = $1', [
          runId,
          JSON.stringify(results),
          failed ? 'failed' : 'fired',
        ]);
      }
      if (rule.stopAfterMatch) return;
    }
  }

  /** Why a matching rule must not act now: the contact's cooldown, or too many automated messages lately. */
  private async heldBack(
    manager: EntityManager,
    rule: AutomationRule,
    target: Target,
    speaks: boolean,
  ): Promise<RunOutcome | null> {
    if (rule.cooldownSeconds > 0) {
      const recent: unknown[] = await manager.query(
        `SELECT 1 FROM automation_runs WHERE rule_id = $1 AND contact_id = $2 AND outcome IN ('fired', 'failed')
           AND created_at > now() - ($3 || ' seconds')::interval LIMIT 1`,
        [rule.id, target.contactId, rule.cooldownSeconds],
      );
      if (recent.length > 0) return 'cooldown';
    }
    if (speaks && target.conversationId) {
      const [row]: { sent: number }[] = await manager.query(
        `SELECT count(*)::int AS sent FROM messages
         WHERE conversation_id = $1 AND direction = 'outbound' AND sender_id IS NULL AND campaign_id IS NULL
           AND created_at > now() - ($2 || ' minutes')::interval`,
        [target.conversationId, LOOP_WINDOW_MINUTES],
      );
      if ((row?.sent ?? 0) >= LOOP_LIMIT) return 'loop_guard';
    }
    return null;
  }

  private async log(manager: EntityManager, rule: AutomationRule, target: Target, outcome: RunOutcome) {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO automation_runs (org_id, rule_id, trigger, message_id, conversation_id, contact_id, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (rule_id, message_id) WHERE message_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [target.orgId, rule.id, rule.trigger.type, target.messageId, target.conversationId, target.contactId, outcome],
    );
    return rows[0]?.id ?? null;
  }

  /** Runs one action; a failure is recorded in the log, and the rule's other actions still run. */
  private async act(
    manager: EntityManager,
    rule: AutomationRule,
    action: Action,
    target: Target,
    subject: Subject,
    outcome: AutomationOutcome,
  ): Promise<ActionResult> {
    const result = (ok: boolean, detail: string, messageId?: string): ActionResult => ({
      type: action.type,
      ok,
      detail,
      ...(messageId && { messageId }),
    });
    const conversationId = target.conversationId;
    const reply = async (content: Action['message'] | string): Promise<string | null> => {
      if (!conversationId || !target.phoneNumberId || !content) return null;
      const isTemplate = typeof content !== 'string' && content.type === 'template';
      if (!isTemplate && !target.windowOpen) return null;
      const id = await this.outbound.storeReply(
        manager,
        { orgId: target.orgId, conversationId, contactId: target.contactId, phoneNumberId: target.phoneNumberId },
        content,
      );
      outcome.replies.push(id);
      outcome.conversations.add(conversationId);
      return id;
    };
    switch (action.type) {
      case 'reply': {
        const id = await reply(action.message);
        return id ? result(true, 'replied', id) : result(false, 'no conversation with an open 24-hour window');
      }
      case 'add_tags':
      case 'remove_tags':
        subject.tags = await this.contacts.changeTags(
          manager,
          target.contactId,
          action.type === 'add_tags' ? { add: action.tags } : { remove: action.tags },
        );
        return result(true, `tags: ${subject.tags.join(', ') || 'none'}`);
      case 'set_attributes':
        subject.attributes = await this.contacts.setAttributes(
          manager,
          { id: target.contactId, attributes: subject.attributes },
          action.attributes ?? {},
        );
        return result(true, `set ${Object.keys(action.attributes ?? {}).join(', ')}`);
      case 'assign': {
        if (!conversationId) return result(false, 'no open conversation');
        const userId = await this.assignee(manager, rule, action);
        if (!userId) return result(false, action.mode === 'least_busy' ? 'no agent online' : 'no member to assign');
        await manager.query('UPDATE conversations SET assignee_id = $2, updated_at = now() WHERE id = $1', [
          conversationId,
          userId,
        ]);
        subject.assigneeId = userId;
        outcome.conversations.add(conversationId);
        return result(true, `assigned to ${userId}`);
      }
      case 'set_status': {
        if (!conversationId || !action.status) return result(false, 'no open conversation');
        await manager.query(
          `UPDATE conversations SET status = $2::conversation_status, updated_at = now(),
                  resolved_at = CASE WHEN $2 = 'resolved' THEN now() ELSE NULL END,
                  bot_active = bot_active OR $2 = 'resolved'
           WHERE id = $1`,
          [conversationId, action.status],
        );
        subject.status = action.status;
        outcome.conversations.add(conversationId);
        return result(true, `status ${action.status}`);
      }
      case 'handoff': {
        if (!conversationId) return result(false, 'no open conversation');
        await manager.query('UPDATE conversations SET bot_active = false, updated_at = now() WHERE id = $1', [
          conversationId,
        ]);
        subject.botActive = false;
        outcome.conversations.add(conversationId);
        const id = action.text ? await reply(action.text) : null;
        return result(true, 'handed off to the team', id ?? undefined);
      }
      case 'enroll_flow': {
        if (!action.flowId || !target.phoneNumberId) return result(false, 'no number to send from');
        const enrolled = await this.flows.enroll(manager, {
          orgId: target.orgId,
          flowId: action.flowId,
          contactId: target.contactId,
          phoneNumberId: target.phoneNumberId,
          source: `rule:${rule.id}`,
        });
        if (!enrolled) return result(false, 'flow disabled, deleted, or the contact is already in it');
        outcome.flowWakes.push(enrolled.wake);
        return result(true, `enrolled (${enrolled.enrollment.id})`);
      }
      case 'add_note': {
        if (!conversationId || !action.text) return result(false, 'no open conversation');
        const note = await manager.save(
          manager.create(Note, { orgId: target.orgId, conversationId, authorId: null, body: action.text }),
        );
        outcome.notes.push(note.id);
        return result(true, 'note added');
      }
      case 'call_webhook': {
        // Signed and retried by the partner webhook dispatcher, recorded in the subscription's deliveries.
        const [subscription]: { id: string }[] = await manager.query(
          'SELECT id FROM webhook_subscriptions WHERE id = $1 AND org_id = $2 AND enabled',
          [action.subscriptionId, target.orgId],
        );
        if (!subscription) return result(false, 'webhook subscription missing or disabled');
        const event = await deliverPartnerEvent(manager, target.orgId, [subscription.id], 'automation.rule_fired', {
          ruleId: rule.id,
          ruleName: rule.name,
          trigger: rule.trigger.type,
          contactId: target.contactId,
          conversationId,
          messageId: target.messageId,
        });
        return result(true, `webhook event ${event.id} queued`);
      }
      case 'ai_reply':
        if (!conversationId || !target.messageId) return result(false, 'only on a customer message');
        outcome.autoReplies.push({
          orgId: target.orgId,
          messageId: target.messageId,
          conversationId,
          ruleId: rule.id,
          minConfidence: action.minConfidence ?? 0.7,
          fallbackText: action.fallbackText ?? '',
          handoffText: action.handoffText ?? '',
        });
        return result(true, 'AI reply queued');
    }
  }

  /** Who `assign` picks: the member named, the next of the rotation, or the online agent with the fewest open conversations. */
  private async assignee(manager: EntityManager, rule: AutomationRule, action: Action): Promise<string | null> {
    const candidates = action.mode === 'least_busy' ? await this.onlineUsers(rule.orgId) : (action.userIds ?? []);
    if (candidates.length === 0) return null;
    const members: { user_id: string; open: number }[] = await manager.query(
      `SELECT m.user_id, (SELECT count(*)::int FROM conversations v
                          WHERE v.org_id = m.org_id AND v.assignee_id = m.user_id AND v.status <> 'resolved') AS open
       FROM memberships m WHERE m.org_id = $1 AND m.user_id = ANY($2::uuid[]) AND m.role <> 'viewer'`,
      [rule.orgId, candidates],
    );
    const eligible = candidates.filter((id) => members.some((m) => m.user_id === id));
    if (eligible.length === 0) return null;
    if (action.mode === 'round_robin') {
      const [row] = await returning<{ at: number }>(
        manager,
        'UPDATE automation_rules SET round_robin_cursor = round_robin_cursor + 1 WHERE id = $1 RETURNING round_robin_cursor - 1 AS at',
        [rule.id],
      );
      return eligible[(row?.at ?? 0) % eligible.length] ?? null;
    }
    if (action.mode === 'least_busy') {
      const ranked = members.sort((a, b) => a.open - b.open || a.user_id.localeCompare(b.user_id));
      return ranked[0]?.user_id ?? null;
    }
    return eligible[0] ?? null;
  }

  private async onlineUsers(orgId: string): Promise<string[]> {
    try {
      return (await this.presence.list(orgId)).filter((p) => p.status === 'online').map((p) => p.userId);
    } catch (error) {
      this.logger.warn(`org ${orgId}: presence unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  private async publishNotes(orgId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const notes = await this.dataSource.getRepository(Note).findBy({ orgId, id: In(ids) });
    for (const note of notes) this.inbox.note(note);
  }
}
