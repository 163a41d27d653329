import type {
  ActionDto,
  AutomationRuleDto,
  ConditionDto,
  CreateAutomationRuleDto,
  TriggerDto,
} from '@parley/console/api-client';
import { emptyMessage, type MessageForm, messageFormOf, messageOf } from './message';

/*
 * The rule editor's form and its mapping to and from the API. The form keeps every field of every
 * type (switching a trigger's type and back loses nothing); the API gets only the fields of the
 * type chosen, and every condition and action row in order, so the API's errors (which name
 * `conditions[2].tag`, `actions[0].message.text.body`) land on the row they are about.
 */

export type TriggerType = TriggerDto['type'];
export type MessageMatch = NonNullable<TriggerDto['match']>;
export type ConditionType = ConditionDto['type'];
export type ConditionOp = NonNullable<ConditionDto['op']>;
export type ConversationStatus = NonNullable<ActionDto['status']>;
export type Weekday = NonNullable<ConditionDto['days']>[number];
export type ActionType = ActionDto['type'];
export type AssignMode = NonNullable<ActionDto['mode']>;

export const TRIGGER_TYPES: { type: TriggerType; label: string }[] = [
  { type: 'message', label: 'A customer sends a message' },
  { type: 'new_conversation', label: 'A new conversation starts' },
  { type: 'interactive_reply', label: 'A customer taps a button or list option' },
  { type: 'outside_business_hours', label: 'A message arrives outside business hours' },
  { type: 'contact_tagged', label: 'A contact is tagged' },
  { type: 'conversation_idle', label: 'A conversation goes quiet' },
];

export const MESSAGE_MATCHES: { match: MessageMatch; label: string }[] = [
  { match: 'any', label: 'Any text' },
  { match: 'keyword', label: 'Keywords' },
  { match: 'regex', label: 'A pattern (regular expression)' },
];

export const CONDITION_TYPES: { type: ConditionType; label: string }[] = [
  { type: 'tag', label: 'Contact tag' },
  { type: 'attribute', label: 'Contact attribute' },
  { type: 'conversation_status', label: 'Conversation status' },
  { type: 'assignee', label: 'Assignee' },
  { type: 'bot', label: 'Bot' },
  { type: 'time_window', label: 'Time of day' },
];

export const TAG_OPS: { op: ConditionOp; label: string }[] = [
  { op: 'has', label: 'has' },
  { op: 'not_has', label: 'does not have' },
];

export const ATTRIBUTE_OPS: { op: ConditionOp; label: string }[] = [
  { op: 'eq', label: 'is' },
  { op: 'neq', label: 'is not' },
  { op: 'contains', label: 'contains' },
  { op: 'exists', label: 'is set' },
  { op: 'not_exists', label: 'is not set' },
];

/** Attribute operators that compare with a value. */
export const needsValue = (op: ConditionOp) => op === 'eq' || op === 'neq' || op === 'contains';

export const STATUSES: { status: ConversationStatus; label: string }[] = [
  { status: 'open', label: 'Open' },
  { status: 'pending', label: 'Pending' },
  { status: 'resolved', label: 'Resolved' },
];

export const WEEKDAYS: { day: Weekday; label: string; short: string }[] = [
  { day: 'mon', label: 'Monday', short: 'Mon' },
  { day: 'tue', label: 'Tuesday', short: 'Tue' },
  { day: 'wed', label: 'Wednesday', short: 'Wed' },
  { day: 'thu', label: 'Thursday', short: 'Thu' },
  { day: 'fri', label: 'Friday', short: 'Fri' },
  { day: 'sat', label: 'Saturday', short: 'Sat' },
  { day: 'sun', label: 'Sunday', short: 'Sun' },
];

export const ACTION_TYPES: { type: ActionType; label: string }[] = [
  { type: 'reply', label: 'Reply' },
  { type: 'add_tags', label: 'Add tags' },
  { type: 'remove_tags', label: 'Remove tags' },
  { type: 'set_attributes', label: 'Set attributes' },
  { type: 'assign', label: 'Assign' },
  { type: 'set_status', label: 'Set status' },
  { type: 'handoff', label: 'Hand off to the team' },
  { type: 'enroll_flow', label: 'Enroll in a flow' },
  { type: 'add_note', label: 'Add a note' },
  { type: 'call_webhook', label: 'Call a webhook' },
  { type: 'ai_reply', label: 'AI reply' },
];

export const ASSIGN_MODES: { mode: AssignMode; label: string }[] = [
  { mode: 'user', label: 'A member' },
  { mode: 'round_robin', label: 'Round robin over members' },
  { mode: 'least_busy', label: 'The least busy online agent' },
];

export const COOLDOWN_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type CooldownUnit = (typeof COOLDOWN_UNITS)[number];
const UNIT_SECONDS: Record<CooldownUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

export interface TriggerForm {
  type: TriggerType;
  match: MessageMatch;
  keywords: string[];
  pattern: string;
  replyIds: string[];
  tag: string;
  minutes: number | null;
}

export interface ConditionForm {
  type: ConditionType;
  op: ConditionOp;
  tag: string;
  key: string;
  value: string;
  statuses: ConversationStatus[];
  /** `none`, `any`, or a member's id. */
  assignee: string;
  /** The bot still answers (true) or the conversation was handed off (false). */
  active: boolean;
  days: Weekday[];
  from: string;
  to: string;
}

export interface AttributeRow {
  key: string;
  value: string;
  /** The value as it came, when not text: sent back unchanged unless the text was edited. */
  original?: string | number | boolean | null;
}

export interface ActionForm {
  type: ActionType;
  message: MessageForm;
  tags: string[];
  attributes: AttributeRow[];
  mode: AssignMode;
  userIds: string[];
  status: ConversationStatus;
  /** `handoff`: what the customer is told (optional); `add_note`: the note. */
  text: string;
  flowId: string;
  subscriptionId: string;
  minConfidence: number;
  fallbackText: string;
  handoffText: string;
}

export interface RuleForm {
  name: string;
  enabled: boolean;
  stopAfterMatch: boolean;
  cooldown: { amount: number; unit: CooldownUnit };
  trigger: TriggerForm;
  conditions: ConditionForm[];
  actions: ActionForm[];
}

export function emptyTrigger(type: TriggerType = 'message'): TriggerForm {
  return { type, match: 'keyword', keywords: [], pattern: '', replyIds: [], tag: '', minutes: 30 };
}

export function emptyCondition(type: ConditionType = 'tag'): ConditionForm {
  return {
    type,
    op: type === 'attribute' ? 'eq' : 'has',
    tag: '',
    key: '',
    value: '',
    statuses: ['open'],
    assignee: 'none',
    active: true,
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    from: '09:00',
    to: '18:00',
  };
}

/** The condition with another type; its operator starts as that type's first. */
export function withConditionType(condition: ConditionForm, type: ConditionType): ConditionForm {
  const op = type === 'attribute' ? (needsValue(condition.op) ? condition.op : 'eq') : 'has';
  return { ...condition, type, op: type === 'tag' || type === 'attribute' ? op : condition.op };
}

export function emptyAction(type: ActionType = 'reply'): ActionForm {
  return {
    type,
    message: emptyMessage(),
    tags: [],
    attributes: [{ key: '', value: '' }],
    mode: 'least_busy',
    userIds: [],
    status: 'resolved',
    text: '',
    flowId: '',
    subscriptionId: '',
    minConfidence: 0.7,
    fallbackText: 'Sorry, something went wrong on our side. A teammate will answer you shortly.',
    handoffText: 'Let me get a teammate to help you with that.',
  };
}

export function emptyRule(): RuleForm {
  return {
    name: '',
    enabled: true,
    stopAfterMatch: true,
    cooldown: { amount: 0, unit: 'minutes' },
    trigger: emptyTrigger(),
    conditions: [],
    actions: [emptyAction()],
  };
}

/** Seconds as the largest unit they divide evenly into: 3600 → 1 hour; 90 → 90 seconds. */
export function cooldownOf(seconds: number): { amount: number; unit: CooldownUnit } {
  if (seconds <= 0) return { amount: 0, unit: 'minutes' };
  for (const unit of ['days', 'hours', 'minutes'] as const)
    if (seconds % UNIT_SECONDS[unit] === 0) return { amount: seconds / UNIT_SECONDS[unit], unit };
  return { amount: seconds, unit: 'seconds' };
}

export function secondsOf(cooldown: { amount: number; unit: CooldownUnit }): number {
  const amount = Number.isFinite(cooldown.amount) ? Math.max(0, Math.round(cooldown.amount)) : 0;
  return amount * UNIT_SECONDS[cooldown.unit];
}

const trimmed = (values: string[]) => values.map((value) => value.trim()).filter(Boolean);

/** The API's trigger: the type and only its own fields. */
export function triggerOf(form: TriggerForm): TriggerDto {
  switch (form.type) {
    case 'message':
      return {
        type: 'message',
        match: form.match,
        ...(form.match === 'keyword' && { keywords: trimmed(form.keywords) }),
        ...(form.match === 'regex' && { pattern: form.pattern }),
      };
    case 'interactive_reply':
      return { type: form.type, replyIds: trimmed(form.replyIds) };
    case 'contact_tagged':
      return { type: form.type, tag: form.tag.trim() };
    case 'conversation_idle':
      return { type: form.type, ...(form.minutes !== null && { minutes: form.minutes }) };
    default:
      return { type: form.type };
  }
}

export function triggerFormOf(trigger: TriggerDto): TriggerForm {
  const form = emptyTrigger(trigger.type);
  return {
    ...form,
    match: trigger.match ?? (trigger.type === 'message' ? 'any' : form.match),
    keywords: trigger.keywords ?? [],
    pattern: trigger.pattern ?? '',
    replyIds: trigger.replyIds ?? [],
    tag: trigger.tag ?? '',
    minutes: trigger.minutes ?? form.minutes,
  };
}

export function conditionOf(form: ConditionForm): ConditionDto {
  switch (form.type) {
    case 'tag':
      return { type: 'tag', op: form.op, tag: form.tag.trim() };
    case 'attribute':
      return {
        type: 'attribute',
        op: form.op,
        key: form.key.trim(),
        ...(needsValue(form.op) && { value: form.value }),
      };
    case 'conversation_status':
      return { type: form.type, statuses: form.statuses };
    case 'assignee':
      return { type: form.type, assignee: form.assignee };
    case 'bot':
      return { type: form.type, active: form.active };
    case 'time_window':
      return { type: form.type, ...(form.days.length > 0 && { days: form.days }), from: form.from, to: form.to };
  }
}

export function conditionFormOf(condition: ConditionDto): ConditionForm {
  const form = emptyCondition(condition.type);
  return {
    ...form,
    op: condition.op ?? form.op,
    tag: condition.tag ?? '',
    key: condition.key ?? '',
    value: condition.value ?? '',
    statuses: condition.statuses ?? form.statuses,
    assignee: condition.assignee ?? form.assignee,
    active: condition.active ?? form.active,
    // No days in a time window means every day.
    days: condition.type === 'time_window' ? (condition.days ?? WEEKDAYS.map((d) => d.day)) : form.days,
    from: condition.from ?? form.from,
    to: condition.to ?? form.to,
  };
}

function attributesOf(rows: AttributeRow[]): Record<string, string | number | boolean | null> {
  return Object.fromEntries(
    rows
      .filter((row) => row.key.trim())
      .map((row) => [
        row.key.trim(),
        row.original !== undefined && String(row.original ?? '') === row.value ? row.original : row.value,
      ]),
  );
}

export function actionOf(form: ActionForm): ActionDto {
  switch (form.type) {
    case 'reply':
      return { type: 'reply', message: messageOf(form.message) };
    case 'add_tags':
    case 'remove_tags':
      return { type: form.type, tags: trimmed(form.tags) };
    case 'set_attributes':
      return { type: form.type, attributes: attributesOf(form.attributes) };
    case 'assign':
      return {
        type: form.type,
        mode: form.mode,
        ...(form.mode === 'user' && { userIds: form.userIds.slice(0, 1) }),
        ...(form.mode === 'round_robin' && { userIds: form.userIds }),
      };
    case 'set_status':
      return { type: form.type, status: form.status };
    case 'handoff':
      return { type: form.type, ...(form.text.trim() && { text: form.text }) };
    case 'add_note':
      return { type: form.type, text: form.text };
    case 'enroll_flow':
      return { type: form.type, flowId: form.flowId };
    case 'call_webhook':
      return { type: form.type, subscriptionId: form.subscriptionId };
    case 'ai_reply':
      return {
        type: form.type,
        minConfidence: form.minConfidence,
        fallbackText: form.fallbackText,
        handoffText: form.handoffText,
      };
  }
}

const isAttributeValue = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

export function actionFormOf(action: ActionDto): ActionForm {
  const form = emptyAction(action.type);
  const attributes = Object.entries(action.attributes ?? {}).map(([key, value]) => ({
    key,
    value: value === null || value === undefined ? '' : String(value),
    ...(isAttributeValue(value) && typeof value !== 'string' && { original: value }),
  }));
  return {
    ...form,
    message: action.message ? messageFormOf(action.message) : form.message,
    tags: action.tags ?? [],
    attributes: attributes.length > 0 ? attributes : form.attributes,
    mode: action.mode ?? form.mode,
    userIds: action.userIds ?? [],
    status: action.status ?? form.status,
    text: action.text ?? '',
    flowId: action.flowId ?? '',
    subscriptionId: action.subscriptionId ?? '',
    minConfidence: action.minConfidence ?? form.minConfidence,
    fallbackText: action.fallbackText ?? form.fallbackText,
    handoffText: action.handoffText ?? form.handoffText,
  };
}

export function ruleFormOf(rule: AutomationRuleDto): RuleForm {
  return {
    name: rule.name,
    enabled: rule.enabled,
    stopAfterMatch: rule.stopAfterMatch,
    cooldown: cooldownOf(rule.cooldownSeconds),
    trigger: triggerFormOf(rule.trigger),
    conditions: rule.conditions.map(conditionFormOf),
    actions: rule.actions.map(actionFormOf),
  };
}

/** What the API takes to create the rule, or to replace an existing rule's definition. */
export function ruleBodyOf(form: RuleForm): Required<CreateAutomationRuleDto> {
  return {
    name: form.name.trim(),
    enabled: form.enabled,
    stopAfterMatch: form.stopAfterMatch,
    cooldownSeconds: secondsOf(form.cooldown),
    trigger: triggerOf(form.trigger),
    conditions: form.conditions.map(conditionOf),
    actions: form.actions.map(actionOf),
  };
}

/** The list with the item at `index` moved by `delta` places (unchanged when it would leave the list). */
export function moved<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1) as [T];
  next.splice(to, 0, item);
  return next;
}
