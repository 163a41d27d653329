import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { TemplatePreview } from '@parley/whatsapp/cloud-api/shared';

/** The template message as a chat bubble on a phone, with its buttons below. */
@Component({
  selector: 'app-message-preview',
  template: `
    <figure class="phone">
      <figcaption class="visually-hidden">Preview of the message</figcaption>
      <div class="chat">
        <div class="bubble" data-testid="campaign-preview">
          @if (preview().header; as header) {
            @if (header.text !== undefined) {
              <p class="header">{{ header.text }}</p>
            } @else {
              <p class="media">{{ header.format.toLowerCase() }}</p>
            }
          }
          <p class="body">{{ preview().body }}</p>
          @if (preview().footer) {
            <p class="footer">{{ preview().footer }}</p>
          }
        </div>
        @for (button of preview().buttons; track $index) {
          <div class="button">{{ button.text }}</div>
        }
      </div>
    </figure>
  `,
  styles: `
    .phone {
      margin: 0;
      width: 300px;
      max-width: 100%;
      border: 8px solid #1f2c34;
      border-radius: 24px;
      overflow: hidden;
      background: var(--app-chat-bg);
    }
    .chat {
      min-height: 220px;
      padding: 16px 12px;
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    .bubble,
    .button {
      background: var(--app-incoming);
      border-radius: 8px;
      box-shadow: 0 1px 0.5px rgb(0 0 0 / 13%);
      font-size: 14px;
      line-height: 19px;
    }
    .bubble {
      border-top-left-radius: 0;
      padding: 6px 8px 8px;
      overflow-wrap: anywhere;
    }
    p {
      margin: 0 0 4px;
      white-space: pre-wrap;
    }
    .header {
      font-weight: 700;
    }
    .media {
      display: grid;
      place-items: center;
      height: 100px;
      border-radius: 6px;
      background: #d1d7db;
      color: #3b4a54;
      text-transform: capitalize;
    }
    .footer {
      color: var(--app-muted);
      font-size: 12px;
    }
    .button {
      padding: 8px;
      text-align: center;
      color: #016a96;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessagePreview {
  readonly preview = input.required<TemplatePreview>();
}
