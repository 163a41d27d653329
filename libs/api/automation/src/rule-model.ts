import type { Attributes } from '@parley/api/contacts';
import { isOpen, localTime, type BusinessHours, WEEKDAYS, type Weekday } from '@parley/api/organizations';
import { outboundProblems, type OutboundContent } from '@parley/whatsapp/cloud-api';

/*
 * What a rule or a flow is made of, as stored (jsonb) and as the API takes it, and the pure parts
 * of running one: validation that names each field at fault, text matching, condition checks.
 */

export const TRIGGER_TYPES = [
  'message',
  'new_conversation',
  'interactive_reply',
  'outside_business_hours',
  'contact_tagged',
  'conversation_idle',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const MESSAGE_MATCHES = ['any', 'keyword', 'regex'] as const;
export type MessageMatch = (typeof MESSAGE_MATCHES)[number];

/** What starts a rule. Only the fields of its `type` are read. */
export interface Trigger {
  type: TriggerType;
  /** `message`: how the text is matched (case and accents never matter). */
  match?: MessageMatch;
  /** `message` with `keyword`: any of these words or phrases, as whole words. */
  keywords?: string[];
  /** `message` with `regex`: a JavaScript pattern, matched against the normalized text. */
  pattern?: string;
  /** `interactive_reply`: the button or list row ids that fire it. */
  replyIds?: string[];
  /** `contact_tagged`: the tag that, once added by a person or the API, fires it. */
  tag?: string;
  /** `conversation_idle`: minutes without any message in an open conversation. */
  minutes?: number;
}

export const CONDITION_TYPES = ['tag', 'attribute', 'conversation_status', 'assignee', 'bot', 'time_window'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export const CONDITION_OPS = ['has', 'not_has', 'eq', 'neq', 'contains', 'exists', 'not_exists'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** A test on the contact or conversation; every condition of a rule must hold. */
export interface Condition {
  type: ConditionType;
  /** `tag`: has / not_has; `attribute`: eq / neq / contains / exists / not_exists. */
  op?: ConditionOp;
  tag?: string;
  key?: string;
  value?: string;
  /** `conversation_status`: any of these. */
  statuses?: ('open' | 'pending' | 'resolved')[];
  /** `assignee`: `none`, `any`, or a member id. */
  assignee?: string;
  /** `bot`: whether the bot is still active (true) or the conversation was handed off (false). */
  active?: boolean;
  /** `time_window`: days and `HH:MM` range in the org's time zone (`to` may be before `from`: overnight). */
  days?: Weekday[];
  from?: string;
  to?: string;
}

export const ACTION_TYPES = [
  'reply',
  'add_tags',
  'remove_tags',
  'set_attributes',
  'assign',
  'set_status',
  'handoff',
  'enroll_flow',
  'add_note',
  'call_webhook',
  'ai_reply',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
export const ASSIGN_MODES = ['user', 'round_robin', 'least_busy'] as const;
export type AssignMode = (typeof ASSIGN_MODES)[number];

/** What a rule does, in order. Only the fields of its `type` are read. */
export interface Action {
  type: ActionType;
  /** `reply`: a message in Meta's send shape (text, interactive buttons or list, template...). */
  message?: OutboundContent;
  /** `add_tags`, `remove_tags`. */
  tags?: string[];
  /** `set_attributes`. */
  attributes?: Attributes;
  /** `assign`: to one member, round-robin over members, or the online agent with the fewest open conversations. */
  mode?: AssignMode;
  userIds?: string[];
  /** `set_status`. */
  status?: 'open' | 'pending' | 'resolved';
  /** `handoff`: a message to the customer as the bot steps back; `add_note`: the note. */
  text?: string;
  /** `enroll_flow`. */
  flowId?: string;
  /** `call_webhook`: the org's webhook subscription sent a signed `automation.rule_fired` event. */
  subscriptionId?: string;
  /** `ai_reply`: answer when the AI is at least this sure (0..1), else hand off with `handoffText`; `fallbackText` when the AI fails. */
  minConfidence?: number;
  fallbackText?: string;
  handoffText?: string;
}

/** Actions of the bot talking to the customer (or handing off): none run once a conversation is handed off. */
export const SPEAKING_ACTIONS: ReadonlySet<ActionType> = new Set(['reply', 'ai_reply', 'enroll_flow', 'handoff']);

export interface RuleDefinition {
  trigger: Trigger;
  conditions: Condition[];
  actions: Action[];
}

export interface Problem {
  field: string;
  message: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 4096;

/** Every problem with a rule's trigger, conditions and actions, each naming its field. */
export function ruleProblems(rule: RuleDefinition): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const { trigger } = rule;
  if (!(TRIGGER_TYPES as readonly string[]).includes(trigger.type))
    add('trigger.type', `trigger.type must be one of ${TRIGGER_TYPES.join(', ')}`);
  if (trigger.type === 'message') {
    const match = trigger.match ?? 'any';
    if (!(MESSAGE_MATCHES as readonly string[]).includes(match))
      add('trigger.match', `trigger.match must be one of ${MESSAGE_MATCHES.join(', ')}`);
    if (match === 'keyword') words(trigger.keywords, 'trigger.keywords', add);
    if (match === 'regex') {
      if (!trigger.pattern || trigger.pattern.length > 500)
        add('trigger.pattern', 'trigger.pattern must be a pattern of 1 to 500 characters');
      else if (!compile(trigger.pattern)) add('trigger.pattern', 'trigger.pattern is not a valid regular expression');
    }
  }
  if (trigger.type === 'interactive_reply') words(trigger.replyIds, 'trigger.replyIds', add);
  if (trigger.type === 'contact_tagged' && !isWord(trigger.tag)) add('trigger.tag', 'trigger.tag must be a tag');
  if (trigger.type === 'conversation_idle' && !isIntIn(trigger.minutes, 1, 60 * 24 * 30))
    add('trigger.minutes', 'trigger.minutes must be a whole number of minutes from 1 to 43200');

  rule.conditions.forEach((condition, i) => conditionProblems(condition, `conditions[${i}]`, add));
  if (rule.actions.length === 0) add('actions', 'a rule needs at least one action');
  if (rule.actions.length > 20) add('actions', 'a rule has at most 20 actions');
  rule.actions.forEach((action, i) => actionProblems(action, `actions[${i}]`, add));
  const speaks = rule.actions.filter((action) => action.type === 'reply' || action.type === 'ai_reply');
  if (speaks.length > 3) add('actions', 'a rule sends at most 3 messages');
  return problems;
}

export function conditionProblems(condition: Condition, at: string, add: (field: string, message: string) => void) {
  switch (condition.type) {
    case 'tag':
      if (condition.op !== 'has' && condition.op !== 'not_has') add(`${at}.op`, `${at}.op must be has or not_has`);
      if (!isWord(condition.tag)) add(`${at}.tag`, `${at}.tag must be a tag`);
      return;
    case 'attribute':
      if (!['eq', 'neq', 'contains', 'exists', 'not_exists'].includes(condition.op ?? ''))
        add(`${at}.op`, `${at}.op must be eq, neq, contains, exists or not_exists`);
      if (!isWord(condition.key)) add(`${at}.key`, `${at}.key must be an attribute name`);
      if (['eq', 'neq', 'contains'].includes(condition.op ?? '') && typeof condition.value !== 'string')
        add(`${at}.value`, `${at}.value must be text`);
      return;
    case 'conversation_status':
      if (
        !Array.isArray(condition.statuses) ||
        condition.statuses.length === 0 ||
        condition.statuses.some((s) => !['open', 'pending', 'resolved'].includes(s))
      )
        add(`${at}.statuses`, `${at}.statuses must list open, pending or resolved`);
      return;
    case 'assignee':
      if (!condition.assignee || (!['none', 'any'].includes(condition.assignee) && !UUID.test(condition.assignee)))
        add(`${at}.assignee`, `${at}.assignee must be none, any or a member id`);
      return;
    case 'bot':
      if (typeof condition.active !== 'boolean') add(`${at}.active`, `${at}.active must be true or false`);
      return;
    case 'time_window':
      if (condition.days && condition.days.some((d) => !(WEEKDAYS as readonly string[]).includes(d)))
        add(`${at}.days`, `${at}.days must be weekdays ${WEEKDAYS.join(', ')}`);
      if (!TIME.test(condition.from ?? '')) add(`${at}.from`, `${at}.from must be a time HH:MM`);
      if (!TIME.test(condition.to ?? '')) add(`${at}.to`, `${at}.to must be a time HH:MM`);
      return;
    default:
      add(`${at}.type`, `${at}.type must be one of ${CONDITION_TYPES.join(', ')}`);
  }
}

function actionProblems(action: Action, at: string, add: (field: string, message: string) => void): void {
  switch (action.type) {
    case 'reply':
      if (!action.message || typeof action.message !== 'object') add(`${at}.message`, `${at}.message is required`);
      else
        for (const problem of outboundProblems(action.message)) add(`${at}.message.${problem.field}`, problem.message);
      return;
    case 'add_tags':
    case 'remove_tags':
      words(action.tags, `${at}.tags`, add);
      return;
    case 'set_attributes': {
      const entries = Object.entries(action.attributes ?? {});
      if (entries.length === 0 || entries.length > 50)
        add(`${at}.attributes`, `${at}.attributes must set 1 to 50 attributes`);
      for (const [key, value] of entries) {
        if (!isWord(key)) add(`${at}.attributes`, `${key} is not an attribute name`);
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
          add(`${at}.attributes.${key}`, `${at}.attributes.${key} must be text, a number, true/false or null`);
      }
      return;
    }
    case 'assign':
      if (!(ASSIGN_MODES as readonly string[]).includes(action.mode ?? ''))
        add(`${at}.mode`, `${at}.mode must be one of ${ASSIGN_MODES.join(', ')}`);
      if (action.mode === 'user' && (action.userIds?.length !== 1 || !UUID.test(action.userIds[0] ?? '')))
        add(`${at}.userIds`, `${at}.userIds must hold the one member to assign`);
      if (
        action.mode === 'round_robin' &&
        (!action.userIds ||
          action.userIds.length < 1 ||
          action.userIds.length > 100 ||
          !action.userIds.every((id) => UUID.test(id)))
      )
        add(`${at}.userIds`, `${at}.userIds must list 1 to 100 member ids`);
      return;
    case 'set_status':
      if (!['open', 'pending', 'resolved'].includes(action.status ?? ''))
        add(`${at}.status`, `${at}.status must be open, pending or resolved`);
      return;
    case 'handoff':
      if (action.text !== undefined && !isText(action.text))
        add(`${at}.text`, `${at}.text must be 1 to 4096 characters`);
      return;
    case 'add_note':
      if (!isText(action.text)) add(`${at}.text`, `${at}.text must be 1 to 4096 characters`);
      return;
    case 'enroll_flow':
      if (!UUID.test(action.flowId ?? '')) add(`${at}.flowId`, `${at}.flowId must be a flow id`);
      return;
    case 'call_webhook':
      if (!UUID.test(action.subscriptionId ?? ''))
        add(`${at}.subscriptionId`, `${at}.subscriptionId must be a webhook subscription id`);
      return;
    case 'ai_reply':
      if (typeof action.minConfidence !== 'number' || action.minConfidence < 0 || action.minConfidence > 1)
        add(`${at}.minConfidence`, `${at}.minConfidence must be a number from 0 to 1`);
      if (!isText(action.fallbackText)) add(`${at}.fallbackText`, `${at}.fallbackText must be 1 to 4096 characters`);
      if (!isText(action.handoffText)) add(`${at}.handoffText`, `${at}.handoffText must be 1 to 4096 characters`);
      return;
    default:
      add(`${at}.type`, `${at}.type must be one of ${ACTION_TYPES.join(', ')}`);
  }
}

function words(list: unknown, field: string, add: (field: string, message: string) => void): void {
  if (!Array.isArray(list) || list.length === 0 || list.length > 100 || !list.every(isWord))
    add(field, `${field} must list 1 to 100 non-empty values of at most 100 characters`);
}

const isWord = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= 100;
const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_TEXT;
const isIntIn = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function compile(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'iu');
  } catch {
    return null;
  }
}

/** Text as rules compare it: lower case, accents dropped, runs of spaces collapsed ("Olá  Mundo" → "ola mundo"). */
export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Whether a message's text fires a `message` trigger: any text; a keyword or phrase as whole words; or the pattern. */
export function textMatches(trigger: Trigger, text: string): boolean {
  const normalized = normalizeText(text);
  switch (trigger.match ?? 'any') {
    case 'any':
      return true;
    case 'keyword':
      return (trigger.keywords ?? []).some((keyword) => {
        const word = normalizeText(keyword);
        if (!word) return false;
        const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(normalized);
      });
    case 'regex':
      return compile(trigger.pattern ?? '')?.test(normalized) ?? false;
  }
}

/** What conditions are checked against. */
export interface Subject {
  tags: string[];
  attributes: Attributes;
  status: 'open' | 'pending' | 'resolved';
  assigneeId: string | null;
  botActive: boolean;
  timezone: string;
  now: Date;
}

export function conditionHolds(condition: Condition, subject: Subject): boolean {
  switch (condition.type) {
    case 'tag': {
      const has = subject.tags.includes(condition.tag ?? '');
      return condition.op === 'not_has' ? !has : has;
    }
    case 'attribute': {
      const present = condition.key !== undefined && Object.hasOwn(subject.attributes, condition.key);
      const raw = present ? subject.attributes[condition.key as string] : undefined;
      const value = raw === null || raw === undefined ? '' : normalizeText(String(raw));
      const wanted = normalizeText(condition.value ?? '');
      switch (condition.op) {
        case 'exists':
          return present && raw !== null;
        case 'not_exists':
          return !present || raw === null;
        case 'eq':
          return present && value === wanted;
        case 'neq':
          return value !== wanted;
        case 'contains':
          return present && value.includes(wanted);
        default:
          return false;
      }
    }
    case 'conversation_status':
      return (condition.statuses ?? []).includes(subject.status);
    case 'assignee':
      if (condition.assignee === 'none') return subject.assigneeId === null;
      if (condition.assignee === 'any') return subject.assigneeId !== null;
      return subject.assigneeId === condition.assignee;
    case 'bot':
      return subject.botActive === condition.active;
    case 'time_window': {
      const { day, time } = localTime(subject.now, subject.timezone);
      if (condition.days && condition.days.length > 0 && !condition.days.includes(day)) return false;
      const from = condition.from ?? '00:00';
      const to = condition.to ?? '24:00';
      return from <= to ? from <= time && time < to : time >= from || time < to;
    }
  }
}

/** Whether it is outside the org's business hours now (never, when the org set none). */
export function outsideBusinessHours(hours: BusinessHours | null, timezone: string, now: Date): boolean {
  return hours !== null && !isOpen(hours, timezone, now);
}
