import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { Icon, type IconName } from '@parley/console/ui';
import type { TemplatePreview } from '@parley/whatsapp/cloud-api/shared';
import { whatsappSegments } from './markup';

const BUTTON_ICONS: Record<string, IconName> = {
  QUICK_REPLY: 'reply',
  URL: 'link',
  PHONE_NUMBER: 'phone',
  COPY_CODE: 'copy',
};

const MEDIA: Record<string, { icon: IconName; label: string }> = {
  IMAGE: { icon: 'image', label: 'Image' },
  VIDEO: { icon: 'video', label: 'Video' },
  DOCUMENT: { icon: 'document', label: 'Document' },
  LOCATION: { icon: 'place', label: 'Location' },
};

/**
 * A template as a customer's phone shows it: a chat bubble with header, body (WhatsApp's *bold*,
 * _italic_, ~strike~ and ```mono``` applied) and footer, and its buttons below. More than three
 * buttons collapse into "See all options", as WhatsApp does.
 */
@Component({
  selector: 'app-phone-preview',
  imports: [Icon],
  template: `
    <div class="phone" aria-label="Preview as the customer sees it" role="figure">
      <div class="chat">
        <div class="bubble">
          @if (preview().header; as header) {
            @if (header.format === 'TEXT') {
              <p class="header-text">{{ header.text }}</p>
            } @else {
              <div class="media" [title]="header.media ?? ''">
                <app-icon [name]="media(header.format).icon" [size]="40" />
                <span>{{ media(header.format).label }}</span>
              </div>
            }
          }
          <p class="body">
            @for (segment of body(); track $index) {
              <span [class]="segment.style">{{ segment.text }}</span>
            }
          </p>
          @if (preview().footer) {
            <p class="footer">{{ preview().footer }}</p>
          }
          <span class="time">12:00</span>
        </div>
        @for (button of shownButtons(); track $index) {
          <div class="button" [title]="button.url ?? button.phoneNumber ?? button.code ?? ''">
            <app-icon [name]="icon(button.type)" [size]="18" />
            <span>{{ button.text }}</span>
          </div>
        }
        @if (collapsed()) {
          <div class="button"><app-icon name="settings" [size]="18" /><span>See all options</span></div>
        }
      </div>
    </div>
  `,
  styles: `
    .phone {
      width: 320px;
      max-width: 100%;
      border: 10px solid #1f2c34;
      border-radius: 28px;
      overflow: hidden;
      background: var(--app-chat-bg);
    }
    .chat {
      min-height: 360px;
      padding: 16px 12px;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .bubble {
      position: relative;
      background: var(--app-incoming);
      border-radius: 0 8px 8px 8px;
      padding: 6px 8px 18px;
      box-shadow: 0 1px 0.5px rgb(0 0 0 / 13%);
      font-size: 14px;
      line-height: 19px;
      overflow-wrap: anywhere;
    }
    p {
      margin: 0 0 4px;
      white-space: pre-wrap;
    }
    .header-text {
      font-weight: 700;
    }
    .media {
      display: grid;
      place-items: center;
      gap: 4px;
      height: 140px;
      margin: -2px -4px 6px;
      border-radius: 6px;
      background: #d1d7db;
      color: #54656f;
      font-size: 12px;
    }
    .footer {
      color: var(--app-muted);
      font-size: 12px;
    }
    .time {
      position: absolute;
      right: 8px;
      bottom: 3px;
      font-size: 11px;
      color: var(--app-muted);
    }
    .bold {
      font-weight: 700;
    }
    .italic {
      font-style: italic;
    }
    .strike {
      text-decoration: line-through;
    }
    .mono {
      font-family: monospace;
    }
    .button {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 6px;
      padding: 8px;
      border-radius: 8px;
      background: var(--app-incoming);
      color: #027eb5;
      font-size: 14px;
      box-shadow: 0 1px 0.5px rgb(0 0 0 / 13%);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PhonePreview {
  readonly preview = input.required<TemplatePreview>();

  protected readonly body = computed(() => whatsappSegments(this.preview().body));
  protected readonly collapsed = computed(() => this.preview().buttons.length > 3);
  protected readonly shownButtons = computed(() =>
    this.collapsed() ? this.preview().buttons.slice(0, 2) : this.preview().buttons,
  );

  protected icon(type: string): IconName {
    return BUTTON_ICONS[type] ?? 'link';
  }

  protected media(format: string): { icon: IconName; label: string } {
    return MEDIA[format] ?? { icon: 'document', label: format };
  }
}
