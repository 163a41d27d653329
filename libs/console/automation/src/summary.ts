import type { ActionDto, ConditionDto, TriggerDto } from '@parley/console/api-client';
import { messageSummary } from './message';
import { ATTRIBUTE_OPS, STATUSES, WEEKDAYS } from './rule-form';

/*
 * Rules in words, for the rules list: what starts one, what it checks, and what it does.
 */

const quoted = (values: string[]) => values.map((value) => `“${value}”`);

/** "a", "a or b", "a, b or c" (`and` with `joiner: 'and'`). */
export function listOf(values: string[], joiner: 'or' | 'and' = 'or'): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} ${joiner} ${values[values.length - 1]}`;
}

/** Minutes in the largest whole unit: 30 minutes, 2 hours, 1 day; 90 minutes stays minutes. */
export function minutesInWords(minutes: number): string {
  const unit = (amount: number, name: string) => `${amount} ${name}${amount === 1 ? '' : 's'}`;
  if (minutes > 0 && minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes > 0 && minutes % 60 === 0) return unit(minutes / 60, 'hour');
  return unit(minutes, 'minute');
}

/** What starts a rule, in a sentence. */
export function triggerSummary(trigger: TriggerDto): string {
  switch (trigger.type) {
    case 'message':
      switch (trigger.match ?? 'any') {
        case 'keyword': {
          const keywords = trigger.keywords ?? [];
          return keywords.length === 0
            ? 'A message with a keyword (none set)'
            : `A message with ${listOf(quoted(keywords))}`;
        }
        case 'regex':
          return `A message matching /${trigger.pattern ?? ''}/`;
        default:
          return 'Any message from a customer';
      }
    case 'new_conversation':
      return 'A new conversation starts';
    case 'interactive_reply': {
      const ids = trigger.replyIds ?? [];
      return `A customer taps ${ids.length === 1 ? 'the option' : 'an option'} ${listOf(ids)}`;
    }
    case 'outside_business_hours':
      return 'A message arrives outside business hours';
    case 'contact_tagged':
      return `A contact is tagged “${trigger.tag ?? ''}”`;
    case 'conversation_idle':
      return `A conversation is quiet for ${minutesInWords(trigger.minutes ?? 0)}`;
  }
}

const dayRange = (days: string[]) =>
  days.length === 0 || days.length === 7
    ? 'every day'
    : days.map((day) => WEEKDAYS.find((d) => d.day === day)?.short ?? day).join(', ');

/** A condition, to follow "only if". */
export function conditionSummary(condition: ConditionDto, memberName: (id: string) => string = (id) => id): string {
  switch (condition.type) {
    case 'tag':
      return `the contact ${condition.op === 'not_has' ? 'is not' : 'is'} tagged “${condition.tag ?? ''}”`;
    case 'attribute': {
      const op = ATTRIBUTE_OPS.find((o) => o.op === condition.op)?.label ?? condition.op ?? '';
      const value = condition.op === 'exists' || condition.op === 'not_exists' ? '' : ` “${condition.value ?? ''}”`;
      return `${condition.key ?? ''} ${op}${value}`;
    }
    case 'conversation_status':
      return `the conversation is ${listOf(
        (condition.statuses ?? []).map((s) => STATUSES.find((o) => o.status === s)?.label.toLowerCase() ?? s),
      )}`;
    case 'assignee':
      if (condition.assignee === 'none') return 'nobody is assigned';
      if (condition.assignee === 'any') return 'someone is assigned';
      return `${memberName(condition.assignee ?? '')} is assigned`;
    case 'bot':
      return condition.active === false ? 'the conversation was handed off' : 'the bot is answering';
    case 'time_window':
      return `${dayRange(condition.days ?? [])} ${condition.from ?? ''}–${condition.to ?? ''}`;
  }
}

/** What an action does, in a few words. */
export function actionSummary(
  action: ActionDto,
  names: { member?: (id: string) => string; flow?: (id: string) => string; webhook?: (id: string) => string } = {},
): string {
  const member = names.member ?? ((id: string) => id);
  switch (action.type) {
    case 'reply':
      return `reply ${messageSummary(action.message)}`;
    case 'add_tags':
      return `tag ${listOf(action.tags ?? [], 'and')}`;
    case 'remove_tags':
      return `untag ${listOf(action.tags ?? [], 'and')}`;
    case 'set_attributes':
      return `set ${listOf(Object.keys(action.attributes ?? {}), 'and')}`;
    case 'assign':
      if (action.mode === 'least_busy') return 'assign the least busy online agent';
      if (action.mode === 'round_robin') return `assign in turn: ${listOf((action.userIds ?? []).map(member), 'and')}`;
      return `assign ${member(action.userIds?.[0] ?? '')}`;
    case 'set_status':
      return `mark ${action.status ?? ''}`;
    case 'handoff':
      return 'hand off to the team';
    case 'enroll_flow':
      return `enroll in ${names.flow ? names.flow(action.flowId ?? '') : 'a flow'}`;
    case 'add_note':
      return 'add a note';
    case 'call_webhook':
      return `call ${names.webhook ? names.webhook(action.subscriptionId ?? '') : 'a webhook'}`;
    case 'ai_reply':
      return 'answer with AI';
  }
}

/** A cooldown in words: "at most once an hour per contact"; empty without one. */
export function cooldownSummary(seconds: number): string {
  if (seconds <= 0) return '';
  const phrase =
    seconds % 86_400 === 0
      ? seconds === 86_400
        ? 'a day'
        : `every ${seconds / 86_400} days`
      : seconds % 3600 === 0
        ? seconds === 3600
          ? 'an hour'
          : `every ${seconds / 3600} hours`
        : seconds % 60 === 0
          ? seconds === 60
            ? 'a minute'
            : `every ${seconds / 60} minutes`
          : `every ${seconds} seconds`;
  return `at most once ${phrase} per contact`;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** An action's result for people: member ids it names ("assigned to <id>") become their names. */
export function resultDetail(detail: string, memberName: (id: string) => string | undefined): string {
  return detail.replace(UUID, (id) => memberName(id) ?? id);
}
