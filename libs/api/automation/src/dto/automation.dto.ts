import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { NOT_NULL, Optional, PageQuery, Trim } from '@parley/api/core';
import { WEEKDAYS, type Weekday } from '@parley/api/organizations';
import type { OutboundContent } from '@parley/whatsapp/cloud-api';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import type { AutomationRule } from '../entities/automation-rule.entity';
import type { ActionResult, AutomationRun, RunOutcome } from '../entities/automation-run.entity';
import { RUN_OUTCOMES } from '../entities/automation-run.entity';
import type { EnrollmentStatus, FlowEnrollment } from '../entities/flow-enrollment.entity';
import { ENROLLMENT_STATUSES } from '../entities/flow-enrollment.entity';
import type { Flow } from '../entities/flow.entity';
import { STEP_TYPES, type FlowExitRules, type FlowStep, type StepType, WAIT_UNITS, type WaitUnit } from '../flow-model';
import {
  ACTION_TYPES,
  type Action,
  type ActionType,
  ASSIGN_MODES,
  type AssignMode,
  CONDITION_OPS,
  CONDITION_TYPES,
  type Condition,
  type ConditionOp,
  type ConditionType,
  MESSAGE_MATCHES,
  type MessageMatch,
  type Trigger,
  TRIGGER_TYPES,
  type TriggerType,
} from '../rule-model';

/*
 * Triggers, conditions, actions and steps are checked by the rule model (`ruleProblems`,
 * `flowProblems`), which names each field at fault; these classes document their shapes.
 */

const MESSAGE_EXAMPLE = {
  type: 'interactive',
  interactive: {
    type: 'button',
    body: { text: 'Hi! How can we help?' },
    action: { buttons: [{ type: 'reply', reply: { id: 'orders', title: 'My order' } }] },
  },
};

export class TriggerDto implements Trigger {
  @ApiProperty({ enum: TRIGGER_TYPES })
  type!: TriggerType;

  @ApiPropertyOptional({
    enum: MESSAGE_MATCHES,
    description: '`message`: any text, keywords or a pattern (default any)',
  })
  match?: MessageMatch;

  @ApiPropertyOptional({
    type: [String],
    example: ['price', 'how much'],
    description: 'Whole words or phrases; case and accents ignored',
  })
  keywords?: string[];

  @ApiPropertyOptional({
    example: '^order #?\\d+',
    description: 'A JavaScript pattern, tested on the lower-cased text without accents',
  })
  pattern?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['talk_to_human'],
    description: '`interactive_reply`: button or list row ids',
  })
  replyIds?: string[];

  @ApiPropertyOptional({ example: 'vip', description: '`contact_tagged`: the tag added by a person or the API' })
  tag?: string;

  @ApiPropertyOptional({ example: 30, description: '`conversation_idle`: minutes without any message' })
  minutes?: number;
}

export class ConditionDto implements Condition {
  @ApiProperty({ enum: CONDITION_TYPES })
  type!: ConditionType;

  @ApiPropertyOptional({
    enum: CONDITION_OPS,
    description: '`tag`: has / not_has; `attribute`: eq / neq / contains / exists / not_exists',
  })
  op?: ConditionOp;

  @ApiPropertyOptional({ example: 'vip' })
  tag?: string;

  @ApiPropertyOptional({ example: 'plan' })
  key?: string;

  @ApiPropertyOptional({ example: 'gold' })
  value?: string;

  @ApiPropertyOptional({ type: [String], enum: ['open', 'pending', 'resolved'], isArray: true })
  statuses?: ('open' | 'pending' | 'resolved')[];

  @ApiPropertyOptional({ example: 'none', description: '`none`, `any` or a member id' })
  assignee?: string;

  @ApiPropertyOptional({ description: '`bot`: true while the bot answers, false once handed off' })
  active?: boolean;

  @ApiPropertyOptional({ enum: WEEKDAYS, isArray: true })
  days?: Weekday[];

  @ApiPropertyOptional({ example: '09:00' })
  from?: string;

  @ApiPropertyOptional({ example: '18:00' })
  to?: string;
}

export class ActionDto implements Action {
  @ApiProperty({ enum: ACTION_TYPES })
  type!: ActionType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: MESSAGE_EXAMPLE,
    description: "`reply`: a message in Meta's send shape: text, interactive buttons or list, or an approved template",
  })
  message?: OutboundContent;

  @ApiPropertyOptional({ type: [String], example: ['lead'] })
  tags?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { stage: 'qualified' } })
  attributes?: Record<string, string | number | boolean | null>;

  @ApiPropertyOptional({ enum: ASSIGN_MODES })
  mode?: AssignMode;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: '`assign`: the member (`user`) or the rotation (`round_robin`)',
  })
  userIds?: string[];

  @ApiPropertyOptional({ enum: ['open', 'pending', 'resolved'] })
  status?: 'open' | 'pending' | 'resolved';

  @ApiPropertyOptional({ description: '`handoff`: what the customer is told; `add_note`: the note' })
  text?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  flowId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: '`call_webhook`: the webhook subscription sent a signed `automation.rule_fired` event',
  })
  subscriptionId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, example: 0.7 })
  minConfidence?: number;

  @ApiPropertyOptional({ example: 'Sorry, something went wrong on our side. A teammate will answer you shortly.' })
  fallbackText?: string;

  @ApiPropertyOptional({ example: 'Let me get a teammate to help you with that.' })
  handoffText?: string;
}

export class CreateAutomationRuleDto {
  @ApiProperty({ example: 'Greet new customers', maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ type: TriggerDto })
  @IsObject()
  trigger!: TriggerDto;

  @ApiPropertyOptional({ type: [ConditionDto], default: [] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  conditions?: ConditionDto[];

  @ApiProperty({ type: [ActionDto] })
  @IsArray()
  @IsObject({ each: true })
  actions!: ActionDto[];

  @ApiPropertyOptional({ default: true, description: 'When it fires, later rules are not tried for the same event' })
  @Optional()
  @IsBoolean()
  stopAfterMatch?: boolean;

  @ApiPropertyOptional({ default: 0, description: 'A contact fires it at most once per this many seconds' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  cooldownSeconds?: number;
}

export class UpdateAutomationRuleDto extends PartialType(CreateAutomationRuleDto, NOT_NULL) {}

export class ReorderAutomationRulesDto {
  @ApiProperty({ type: [String], format: 'uuid', description: "Every rule's id, in the new order" })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids!: string[];
}

export class AutomationRuleDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: 'Rules run in ascending position' })
  position!: number;

  @ApiProperty({ type: TriggerDto })
  trigger!: Trigger;

  @ApiProperty({ type: [ConditionDto] })
  conditions!: Condition[];

  @ApiProperty({ type: [ActionDto] })
  actions!: Action[];

  @ApiProperty()
  stopAfterMatch!: boolean;

  @ApiProperty()
  cooldownSeconds!: number;

  @ApiProperty({ type: String, nullable: true, example: 'starter_bot', description: 'Set on the starter bot’s rules' })
  preset!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(rule: AutomationRule): AutomationRuleDto {
    return {
      id: rule.id,
      name: rule.name,
      enabled: rule.enabled,
      position: rule.position,
      trigger: rule.trigger,
      conditions: rule.conditions,
      actions: rule.actions,
      stopAfterMatch: rule.stopAfterMatch,
      cooldownSeconds: rule.cooldownSeconds,
      preset: rule.preset,
      createdAt: rule.createdAt,
      updatedAt: rule.updatedAt,
    };
  }
}

export class AutomationRunsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID('all', { message: 'ruleId must be a rule id' })
  ruleId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID('all', { message: 'conversationId must be a conversation id' })
  conversationId?: string;
}

export class ActionResultDto implements ActionResult {
  @ApiProperty({ enum: ACTION_TYPES })
  type!: string;

  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ example: 'replied' })
  detail!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The message it sent' })
  messageId?: string;
}

export class AutomationRunDto {
  @ApiProperty({ example: '1042' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  ruleId!: string;

  @ApiProperty({ example: 'Greet new customers' })
  ruleName!: string;

  @ApiProperty({ enum: TRIGGER_TYPES })
  trigger!: string;

  @ApiProperty({ enum: RUN_OUTCOMES, description: '`cooldown` and `loop_guard`: it matched but was held back' })
  outcome!: RunOutcome;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  messageId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  conversationId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  contactId!: string | null;

  @ApiProperty({ type: [ActionResultDto] })
  results!: ActionResult[];

  @ApiProperty()
  createdAt!: Date;

  static from(run: AutomationRun): AutomationRunDto {
    return {
      id: run.id,
      ruleId: run.ruleId,
      ruleName: run.rule?.name ?? '',
      trigger: run.trigger,
      outcome: run.outcome,
      messageId: run.messageId,
      conversationId: run.conversationId,
      contactId: run.contactId,
      results: run.results,
      createdAt: run.createdAt,
    };
  }
}

export class StarterBotDto {
  @ApiProperty({ description: 'Whether its rules are on' })
  enabled!: boolean;

  @ApiProperty({ type: [AutomationRuleDto], description: 'Its rules, editable like any other' })
  rules!: AutomationRuleDto[];
}

export class SetStarterBotDto {
  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;
}

export class FlowStepDto implements FlowStep {
  @ApiProperty({ example: 'welcome', description: 'Unique in the flow; jumps name it' })
  id!: string;

  @ApiProperty({ enum: STEP_TYPES })
  type!: StepType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { type: 'text', text: { body: 'Thanks for your order! Anything else?' } },
    description: "`send`: Meta's send shape; outside the 24-hour window only an approved template goes",
  })
  message?: OutboundContent;

  @ApiPropertyOptional({ example: 2 })
  amount?: number;

  @ApiPropertyOptional({ enum: WAIT_UNITS })
  unit?: WaitUnit;

  @ApiPropertyOptional({
    example: 'thanks',
    description: '`wait_for_reply`: step id (or `end`) when they answer; default the next step',
  })
  onReply?: string;

  @ApiPropertyOptional({ example: 'end', description: '`wait_for_reply`: step id (or `end`) when they don’t' })
  onTimeout?: string;

  @ApiPropertyOptional({ type: ConditionDto, description: '`branch`: a tag or attribute test' })
  condition?: Condition;

  @ApiPropertyOptional({ description: '`branch`: step id (or `end`) when it holds; default the next step' })
  then?: string;

  @ApiPropertyOptional({ description: '`branch`: step id (or `end`) when it doesn’t' })
  else?: string;
}

export class FlowExitRulesDto implements FlowExitRules {
  @ApiProperty({ description: 'Any reply ends the flow (except one a wait_for_reply step waits for)' })
  @IsBoolean()
  onReply!: boolean;

  @ApiProperty({ description: "Resolving the contact's conversation ends the flow" })
  @IsBoolean()
  onResolve!: boolean;
}

export class CreateFlowDto {
  @ApiProperty({ example: 'Post-purchase follow-up', maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ type: [FlowStepDto] })
  @IsArray()
  @IsObject({ each: true })
  steps!: FlowStepDto[];

  @ApiPropertyOptional({ type: FlowExitRulesDto, description: 'Default: both true. An opt-out always ends a flow.' })
  @Optional()
  @IsObject()
  exitRules?: FlowExitRulesDto;
}

export class UpdateFlowDto extends PartialType(CreateFlowDto, NOT_NULL) {}

export class FlowEnrollmentCountsDto {
  @ApiProperty()
  active!: number;

  @ApiProperty()
  completed!: number;

  @ApiProperty()
  exited!: number;
}

export class FlowDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: [FlowStepDto] })
  steps!: FlowStep[];

  @ApiProperty({ type: FlowExitRulesDto })
  exitRules!: FlowExitRules;

  @ApiProperty({ type: FlowEnrollmentCountsDto })
  enrollments!: FlowEnrollmentCountsDto;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(flow: Flow, enrollments: FlowEnrollmentCountsDto): FlowDto {
    return {
      id: flow.id,
      name: flow.name,
      enabled: flow.enabled,
      steps: flow.steps,
      exitRules: flow.exitRules,
      enrollments,
      createdAt: flow.createdAt,
      updatedAt: flow.updatedAt,
    };
  }
}

export class EnrollContactDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'contactId must be a contact id' })
  contactId!: string;
}

export class FlowEnrollmentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENROLLMENT_STATUSES })
  @Optional()
  @IsIn(ENROLLMENT_STATUSES)
  status?: EnrollmentStatus;
}

export class FlowEnrollmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  flowId!: string;

  @ApiProperty({ format: 'uuid' })
  contactId!: string;

  @ApiProperty({ enum: ENROLLMENT_STATUSES })
  status!: EnrollmentStatus;

  @ApiProperty({ description: 'Index of the step it is at (or waiting on)' })
  step!: number;

  @ApiProperty({ type: Date, nullable: true, description: 'When it moves next' })
  nextRunAt!: Date | null;

  @ApiProperty({ description: 'A wait_for_reply step is waiting for the customer' })
  awaitingReply!: boolean;

  @ApiProperty({ example: 'api', description: '`rule:<id>`, `campaign:<id>` or `api`' })
  source!: string;

  @ApiProperty({ type: String, nullable: true, example: 'replied' })
  exitReason!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(enrollment: FlowEnrollment): FlowEnrollmentDto {
    return {
      id: enrollment.id,
      flowId: enrollment.flowId,
      contactId: enrollment.contactId,
      status: enrollment.status,
      step: enrollment.step,
      nextRunAt: enrollment.nextRunAt,
      awaitingReply: enrollment.awaitingReply,
      source: enrollment.source,
      exitReason: enrollment.exitReason,
      createdAt: enrollment.createdAt,
      updatedAt: enrollment.updatedAt,
    };
  }
}
