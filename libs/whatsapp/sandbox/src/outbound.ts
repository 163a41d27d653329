import {
  describeOutbound,
  isWindowOpen,
  metaErrorTitle,
  OutboundContent,
  Pricing,
  TemplateDefinition,
  TemplateMessage,
  templateParameterProblems,
} from '@parley/whatsapp/cloud-api';
import type { SandboxContext } from './context';
import type { ChatMessage, SandboxNumber, SandboxTemplate } from './state';

/** Why an accepted message will fail, as Meta reports it later in a `failed` status; null when it will arrive. */
export function failureOf(
  ctx: SandboxContext,
  number: SandboxNumber,
  waId: string,
  content: OutboundContent,
): number | null {
  const customer = ctx.state.customer(waId);
  if (!customer.onWhatsApp) return 131026;
  if (content.type === 'template') {
    const template = findTemplate(ctx, number.wabaId, content.template);
    if (!template || template.status !== 'APPROVED') return 132001;
    if (templateParameterProblems(definitionOf(template), content.template).length > 0) return 132000;
  } else {
    const last = customer.lastInboundAt.get(number.phoneNumberId) ?? null;
    if (!isWindowOpen(last === null ? null : new Date(last))) return 131047;
  }
  return Math.random() < ctx.state.scenario.failureRate ? 131000 : null;
}

export function findTemplate(
  ctx: SandboxContext,
  wabaId: string,
  template: TemplateMessage,
): SandboxTemplate | undefined {
  return [...ctx.state.templates.values()].find(
    (t) => t.wabaId === wabaId && t.name === template?.name && t.language === template?.language?.code,
  );
}

function definitionOf(template: SandboxTemplate): TemplateDefinition {
  return { parameter_format: template.parameterFormat, components: template.components };
}

/** How the customer's phone shows a message the business sent. */
export function readableOutbound(ctx: SandboxContext, number: SandboxNumber, content: OutboundContent): string {
  const template = content.type === 'template' ? findTemplate(ctx, number.wabaId, content.template) : undefined;
  return describeOutbound(content, template && definitionOf(template));
}

function pricingOf(
  ctx: SandboxContext,
  number: SandboxNumber,
  message: ChatMessage,
  content: OutboundContent,
): Pricing {
  if (content.type !== 'template')
    return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' };
  const template = findTemplate(ctx, number.wabaId, content.template);
  const category = (template?.category ?? 'MARKETING').toLowerCase();
  const last = ctx.state.customer(message.waId).lastInboundAt.get(number.phoneNumberId) ?? null;
  const free = category === 'utility' && isWindowOpen(last === null ? null : new Date(last));
  return { billable: !free, pricing_model: 'PMP', type: free ? 'free_customer_service' : 'regular', category };
}

/**
 * Reports an accepted message's fate by webhook: `failed` with Meta's error, or `sent`, `delivered`
 * and (when customers read) `read` after the scenario's delays, possibly out of order.
 */
export function scheduleStatuses(
  ctx: SandboxContext,
  number: SandboxNumber,
  message: ChatMessage,
  content: OutboundContent,
  failure: number | null,
): void {
  const waba = ctx.state.wabas.get(number.wabaId);
  if (!waba) return;
  const { statusDelaysMs, autoRead, reorderStatuses } = ctx.state.scenario;
  const pricing = pricingOf(ctx, number, message, content);
  const report = (
    status: 'sent' | 'delivered' | 'read' | 'failed',
    delayMs: number,
    extra: Record<string, unknown> = {},
  ) =>
    ctx.later(delayMs, () => {
      if (message.status !== 'failed')
        message.status = status === 'failed' || rank(status) > rank(message.status) ? status : message.status;
      ctx.webhooks.send(waba, [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: {
              display_phone_number: digits(number.displayPhoneNumber),
              phone_number_id: number.phoneNumberId,
            },
            statuses: [
              {
                id: message.id,
                status,
                timestamp: String(Math.floor(Date.now() / 1000)),
                recipient_id: message.waId,
                // Meta echoes the sender's opaque data in every status of the message.
                ...(typeof message.payload['biz_opaque_callback_data'] === 'string' && {
                  biz_opaque_callback_data: message.payload['biz_opaque_callback_data'],
                }),
                ...extra,
              },
            ],
          },
        },
      ]);
    });

  if (failure !== null) {
    message.error = { code: failure, title: metaErrorTitle(failure) };
    report('failed', statusDelaysMs.sent, {
      errors: [
        {
          code: failure,
          title: metaErrorTitle(failure),
          message: metaErrorTitle(failure),
          error_data: { details: FAILURE_DETAILS[failure] ?? metaErrorTitle(failure) },
        },
      ],
    });
    return;
  }
  const steps: ('sent' | 'delivered' | 'read')[] =
    content.type === 'reaction' ? ['sent'] : autoRead ? ['sent', 'delivered', 'read'] : ['sent', 'delivered'];
  const delays = steps.map((step) => statusDelaysMs[step]);
  if (reorderStatuses) delays.reverse();
  steps.forEach((step, i) => report(step, delays[i] ?? 0, step === 'read' ? {} : { pricing }));
}

const FAILURE_DETAILS: Record<number, string> = {
  131026: 'Message undeliverable: the recipient is not on WhatsApp or uses an old version.',
  131047: 'More than 24 hours have passed since the recipient last replied to the sender number.',
  132000: 'The number of parameters does not match the expected number of params.',
  132001: 'Template name does not exist in the translation or is not approved.',
  131000: 'Something went wrong.',
};

function rank(status: string): number {
  return ['accepted', 'sent', 'delivered', 'read'].indexOf(status);
}

export function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}
