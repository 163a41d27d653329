import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { MessageDto } from '@parley/console/api-client';
import { Icon } from '@parley/console/ui';
import { MediaView } from './media-view';
import { intentLabel, SENTIMENT_LABELS } from './insights';
import { StatusTicks } from './status-ticks';
import { clockTime } from './time';

type Json = Record<string, unknown>;
const asJson = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One message as WhatsApp shows it: its content by type, the quoted message, reactions, time and ticks. */
@Component({
  selector: 'app-message-bubble',
  imports: [MatButtonModule, Icon, MediaView, StatusTicks],
  templateUrl: './message-bubble.html',
  styleUrl: './message-bubble.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageBubble {
  readonly message = input.required<MessageDto>();
  /** The message this one replies to, when it is loaded. */
  readonly quoted = input<MessageDto | null>(null);
  readonly canReply = input(false);
  readonly reply = output<MessageDto>();
  protected readonly time = clockTime;

  /** Meta's object for this type (`payload.image`, `payload.location`...). */
  protected readonly content = computed(() => asJson(this.message().payload[this.message().type]));
  protected readonly caption = computed(() => text(this.content()['caption']));
  protected readonly location = computed(() => {
    const location = this.content();
    const latitude = Number(location['latitude']);
    const longitude = Number(location['longitude']);
    if (this.message().type !== 'location' || Number.isNaN(latitude) || Number.isNaN(longitude)) return null;
    return {
      name: text(location['name']),
      address: text(location['address']),
      link: `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`,
      coordinates: `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`,
    };
  });
  protected readonly cards = computed(() => {
    const cards = this.message().payload['contacts'];
    if (this.message().type !== 'contacts' || !Array.isArray(cards)) return [];
    return cards.map((card) => {
      const phones = asJson(card)['phones'];
      return {
        name: text(asJson(asJson(card)['name'])['formatted_name']) || 'Contact',
        phones: Array.isArray(phones) ? phones.map((phone) => text(asJson(phone)['phone'])).filter(Boolean) : [],
      };
    });
  });
  /** An outbound interactive message's buttons or list, or the reply the customer picked. */
  protected readonly choices = computed(() => {
    if (this.message().type !== 'interactive' || this.message().direction !== 'outbound') return [];
    const action = asJson(this.content()['action']);
    const buttons = Array.isArray(action['buttons']) ? action['buttons'] : [];
    const labels = buttons.map((button) => text(asJson(asJson(button)['reply'])['title']));
    if (text(action['button'])) labels.push(text(action['button']));
    const url = asJson(action['parameters']);
    if (text(url['display_text'])) labels.push(text(url['display_text']));
    return labels.filter(Boolean);
  });
  protected readonly isReply = computed(
    () =>
      this.message().direction === 'inbound' &&
      (this.message().type === 'button' || this.message().type === 'interactive'),
  );
  protected readonly hasMedia = computed(() => !!this.message().media);
  /** What AI triage read in a customer message: "Negative · Support request". */
  protected readonly aiLabel = computed(() => {
    const ai = this.message().ai;
    return ai ? `${SENTIMENT_LABELS[ai.sentiment]} · ${intentLabel(ai.intent)}` : '';
  });
}
