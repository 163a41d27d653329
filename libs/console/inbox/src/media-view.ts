import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { Api, getMediaContent, type MediaDto } from '@parley/console/api-client';
import { Session } from '@parley/console/core';
import { Icon } from '@parley/console/ui';

/**
 * A message's file, fetched with the agent's token (media are private to the org) and shown from
 * an object URL: a picture, a player, or a download link.
 */
@Component({
  selector: 'app-media-view',
  imports: [Icon],
  template: `
    @let file = media();
    @if (file.status === 'pending') {
      <p class="muted">Downloading the file from WhatsApp…</p>
    } @else if (file.status === 'failed') {
      <p class="error-text">The file could not be downloaded{{ file.error ? ': ' + file.error : '' }}.</p>
    } @else if (url(); as url) {
      @switch (file.kind) {
        @case ('image') {
          <img [src]="url" [alt]="alt() || 'Photo'" />
        }
        @case ('sticker') {
          <img class="sticker" [src]="url" alt="Sticker" />
        }
        @case ('video') {
          <video [src]="url" controls preload="metadata" [attr.aria-label]="alt() || 'Video'"></video>
        }
        @case ('audio') {
          <audio [src]="url" controls preload="metadata" [attr.aria-label]="alt() || 'Audio'"></audio>
        }
        @default {
          <a class="document" [href]="url" [attr.download]="file.filename || 'document'">
            <app-icon name="document" [size]="28" />
            <span
              >{{ file.filename || 'Document' }}<br /><small class="muted">{{ size(file.sizeBytes) }}</small></span
            >
          </a>
        }
      }
    } @else if (failed()) {
      <p class="error-text">The file could not be loaded.</p>
    } @else {
      <p class="muted">Loading…</p>
    }
  `,
  styles: `
    img,
    video {
      display: block;
      max-width: min(320px, 100%);
      max-height: 320px;
      border-radius: 6px;
    }
    .sticker {
      width: 128px;
      height: 128px;
      object-fit: contain;
    }
    .document {
      display: flex;
      gap: 8px;
      align-items: center;
      padding: 8px;
      border-radius: 6px;
      background: rgb(0 0 0 / 5%);
      color: inherit;
      text-decoration: none;
    }
    p {
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MediaView {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  readonly media = input.required<MediaDto>();
  readonly alt = input<string>('');
  protected readonly url = signal<string | null>(null);
  protected readonly failed = signal(false);
  private objectUrl: string | null = null;

  constructor() {
    effect(() => {
      const media = this.media();
      const orgId = this.session.orgId();
      if (media.status !== 'stored' || !orgId || this.objectUrl) return;
      this.api.invoke(getMediaContent, { orgId, id: media.id }).then(
        (blob) => {
          this.objectUrl = URL.createObjectURL(blob);
          this.url.set(this.objectUrl);
        },
        () => this.failed.set(true),
      );
    });
    inject(DestroyRef).onDestroy(() => {
      if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    });
  }

  protected size(bytes: number | null): string {
    if (bytes === null) return '';
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }
}
