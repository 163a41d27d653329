import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, signal, untracked } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  Api,
  createWebhookSubscription,
  deleteWebhookSubscription,
  getWebhookDelivery,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  redeliverWebhook,
  rotateWebhookSecret,
  testWebhookSubscription,
  updateWebhookSubscription,
  type WebhookDeliveryDetailDto,
  type WebhookDeliveryDto,
  type WebhookSubscriptionDto,
} from '@parley/console/api-client';
import { Session } from '@parley/console/core';
import { attempt } from './attempt';
import { SettingsNav } from './settings-nav';
import { ShownOnce } from './shown-once';

type EventType = WebhookSubscriptionDto['events'][number];

const EVENTS: { type: EventType; label: string }[] = [
  { type: 'message.received', label: 'A customer writes (message.received)' },
  { type: 'message.status', label: 'A message is sent, delivered, read or fails (message.status)' },
  { type: 'conversation.updated', label: 'A conversation is assigned or resolved (conversation.updated)' },
  { type: 'contact.opted_out', label: 'A contact opts out (contact.opted_out)' },
  { type: 'campaign.completed', label: 'A campaign completes (campaign.completed)' },
  { type: 'template.status', label: 'Meta reviews a template (template.status)' },
];

/** How often the open delivery log refreshes, to show deliveries as they happen. */
const LOG_REFRESH_MS = 3_000;

/** Partners' webhook subscriptions: create (the secret shown once), test, switch off and on, and each one's delivery log. */
@Component({
  selector: 'app-webhooks',
  imports: [
    DatePipe,
    JsonPipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    SettingsNav,
    ShownOnce,
  ],
  template: `
    <section class="page">
      <div class="page-header"><h1>Settings</h1></div>
      <app-settings-nav />
      <form
        #webhookForm="ngForm"
        class="card form-grid"
        [formGroup]="form"
        (ngSubmit)="create(webhookForm)"
        aria-labelledby="webhook-title"
      >
        <h2 id="webhook-title">New webhook</h2>
        <mat-form-field>
          <mat-label>URL</mat-label>
          <input matInput type="url" formControlName="url" maxlength="2000" required />
          <mat-hint>Where Parley POSTs each event, signed with the webhook's secret</mat-hint>
        </mat-form-field>
        <mat-form-field>
          <mat-label>Description</mat-label>
          <input matInput formControlName="description" maxlength="200" />
        </mat-form-field>
        <fieldset class="choices">
          <legend>Events</legend>
          @for (option of events; track option.type) {
            <mat-checkbox [checked]="chosen().includes(option.type)" (change)="toggle(option.type, $event.checked)">
              {{ option.label }}
            </mat-checkbox>
          }
        </fieldset>
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
        <div class="row">
          <button mat-flat-button type="submit" [disabled]="form.invalid || chosen().length === 0">
            Create webhook
          </button>
        </div>
      </form>
      @if (secret(); as shown) {
        <app-shown-once [value]="shown" what="signing secret" testId="webhook-secret" (done)="secret.set(null)">
          <p class="muted">
            Each request carries <code>X-Parley-Signature: v1=&lt;HMAC-SHA256 of timestamp.body&gt;</code> and
            <code>X-Parley-Timestamp</code>.
          </p>
        </app-shown-once>
      }
      <table class="simple" aria-label="Webhooks">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">State</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          @for (subscription of subscriptions(); track subscription.id) {
            <tr [class.selected]="selected()?.id === subscription.id">
              <td class="text">
                <code>{{ subscription.url }}</code>
                @if (subscription.description) {
                  <div class="muted">{{ subscription.description }}</div>
                }
              </td>
              <td>{{ subscription.events.join(', ') }}</td>
              <td>
                @if (subscription.enabled) {
                  On
                } @else if (subscription.disabledReason === 'failing') {
                  <span class="error-text">Off: {{ subscription.failureStreak }} failures in a row</span>
                } @else {
                  Off
                }
              </td>
              <td class="actions">
                <button mat-button type="button" (click)="open(subscription)">Deliveries</button>
                <button mat-button type="button" (click)="test(subscription)">Send test</button>
                <button mat-button type="button" (click)="setEnabled(subscription, !subscription.enabled)">
                  {{ subscription.enabled ? 'Switch off' : 'Switch on' }}
                </button>
                <button mat-button type="button" (click)="rotate(subscription)">Rotate secret</button>
                <button
                  mat-button
                  type="button"
                  (click)="remove(subscription)"
                  [attr.aria-label]="'Delete ' + subscription.url"
                >
                  Delete
                </button>
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="4" class="muted">No webhooks yet.</td>
            </tr>
          }
        </tbody>
      </table>

      @if (selected(); as subscription) {
        <section class="card" aria-labelledby="log-title">
          <h2 id="log-title">Deliveries to {{ subscription.url }}</h2>
          <table class="simple" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Tries</th>
                <th scope="col">Last answer</th>
                <th scope="col">Latency</th>
                <th scope="col">Created</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (delivery of deliveries(); track delivery.id) {
                <tr>
                  <td>{{ delivery.eventType }}</td>
                  <td [class.error-text]="delivery.status === 'failed'">{{ delivery.status }}</td>
                  <td>{{ delivery.attempts }}</td>
                  <td>{{ delivery.lastStatusCode ?? delivery.lastError ?? '—' }}</td>
                  <td>{{ delivery.lastLatencyMs === null ? '—' : delivery.lastLatencyMs + ' ms' }}</td>
                  <td>{{ delivery.createdAt | date: 'medium' }}</td>
                  <td class="actions">
                    <button mat-button type="button" (click)="details(delivery)">Details</button>
                    @if (delivery.status !== 'pending') {
                      <button mat-button type="button" (click)="redeliver(delivery)">Redeliver</button>
                    }
                  </td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="7" class="muted">No deliveries yet.</td>
                </tr>
              }
            </tbody>
          </table>
          @if (detail(); as delivery) {
            <div class="detail" aria-label="Delivery details" role="region">
              <h3>{{ delivery.eventType }} · event {{ delivery.eventId }}</h3>
              <ol>
                @for (attempt of delivery.attemptLog; track attempt.attempt) {
                  <li>
                    {{ attempt.createdAt | date: 'mediumTime' }}: {{ attempt.statusCode ?? attempt.error }} in
                    {{ attempt.latencyMs }} ms
                  </li>
                }
              </ol>
              <pre tabindex="0" aria-label="Body sent">{{ delivery.payload | json }}</pre>
            </div>
          }
        </section>
      }
    </section>
  `,
  styleUrl: './settings.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhooksPage {
  private readonly api = inject(Api);
  private readonly session = inject(Session);
  protected readonly events = EVENTS;
  protected readonly subscriptions = signal<WebhookSubscriptionDto[]>([]);
  protected readonly chosen = signal<EventType[]>(['message.received', 'message.status']);
  protected readonly secret = signal<string | null>(null);
  protected readonly selected = signal<WebhookSubscriptionDto | null>(null);
  protected readonly deliveries = signal<WebhookDeliveryDto[]>([]);
  protected readonly detail = signal<WebhookDeliveryDetailDto | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    url: ['', [Validators.required, Validators.pattern(/^https?:\/\/\S+$/)]],
    description: [''],
  });

  constructor() {
    effect(() => {
      this.session.orgId();
      untracked(() => void this.run(() => this.load()));
    });
    const timer = setInterval(() => {
      if (this.selected()) void this.loadDeliveries();
    }, LOG_REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected toggle(type: EventType, on: boolean): void {
    this.chosen.update((types) => (on ? [...types, type] : types.filter((t) => t !== type)));
  }

  protected create(form: FormGroupDirective): Promise<void> {
    const { url, description } = this.form.getRawValue();
    return this.withOrg(async (orgId) => {
      const created = await this.api.invoke(createWebhookSubscription, {
        orgId,
        body: { url, events: this.chosen(), ...(description && { description }) },
      });
      this.secret.set(created.secret);
      form.resetForm();
      await this.load();
    });
  }

  protected open(subscription: WebhookSubscriptionDto): Promise<void> {
    this.selected.set(subscription);
    this.detail.set(null);
    return this.run(() => this.loadDeliveries());
  }

  protected test(subscription: WebhookSubscriptionDto): Promise<void> {
    return this.withOrg(async (orgId) => {
      await this.api.invoke(testWebhookSubscription, { orgId, id: subscription.id });
      await this.open(subscription);
    });
  }

  protected setEnabled(subscription: WebhookSubscriptionDto, enabled: boolean): Promise<void> {
    return this.withOrg(async (orgId) => {
      await this.api.invoke(updateWebhookSubscription, { orgId, id: subscription.id, body: { enabled } });
      await this.load();
    });
  }

  protected rotate(subscription: WebhookSubscriptionDto): Promise<void> {
    return this.withOrg(async (orgId) => {
      this.secret.set((await this.api.invoke(rotateWebhookSecret, { orgId, id: subscription.id })).secret);
    });
  }

  protected remove(subscription: WebhookSubscriptionDto): Promise<void> {
    return this.withOrg(async (orgId) => {
      await this.api.invoke(deleteWebhookSubscription, { orgId, id: subscription.id });
      if (this.selected()?.id === subscription.id) this.selected.set(null);
      await this.load();
    });
  }

  protected details(delivery: WebhookDeliveryDto): Promise<void> {
    return this.withOrg(async (orgId) => {
      this.detail.set(await this.api.invoke(getWebhookDelivery, { orgId, id: delivery.id }));
    });
  }

  protected redeliver(delivery: WebhookDeliveryDto): Promise<void> {
    return this.withOrg(async (orgId) => {
      await this.api.invoke(redeliverWebhook, { orgId, id: delivery.id });
      await this.loadDeliveries();
    });
  }

  private async load(): Promise<void> {
    const orgId = this.session.orgId();
    if (!orgId) return;
    const subscriptions = (await this.api.invoke(listWebhookSubscriptions, { orgId, limit: 100 })).data;
    this.subscriptions.set(subscriptions);
    const selected = this.selected();
    if (selected) this.selected.set(subscriptions.find((s) => s.id === selected.id) ?? null);
  }

  private async loadDeliveries(): Promise<void> {
    const orgId = this.session.orgId();
    const subscription = this.selected();
    if (!orgId || !subscription) return;
    const page = await this.api.invoke(listWebhookDeliveries, { orgId, id: subscription.id, limit: 50 });
    this.deliveries.set(page.data);
  }

  private withOrg(action: (orgId: string) => Promise<void>): Promise<void> {
    const orgId = this.session.orgId();
    return orgId ? this.run(() => action(orgId)) : Promise.resolve();
  }

  private run(action: () => Promise<void>): Promise<void> {
    return attempt(this.error, action);
  }
}
