import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AiModule } from '@parley/api/ai';
import { AnalyticsModule } from '@parley/api/analytics';
import { ApiKeysModule } from '@parley/api/api-keys';
import { AuditModule } from '@parley/api/audit';
import { PartnerWebhooksModule } from '@parley/api/partner-webhooks';
import { AutomationModule } from '@parley/api/automation';
import { AccessGuard, AuthModule } from '@parley/api/auth';
import { CampaignsModule } from '@parley/api/campaigns';
import { ContactsModule } from '@parley/api/contacts';
import { ConversationsModule } from '@parley/api/conversations';
import { CoreModule, IdempotencyInterceptor, RateLimitGuard, SecretBox, WindowCounter } from '@parley/api/core';
import { MediaModule } from '@parley/api/media';
import { OrgExportsModule } from '@parley/api/org-exports';
import { OrganizationsModule } from '@parley/api/organizations';
import { PrivacyModule } from '@parley/api/privacy';
import { QuickRepliesModule } from '@parley/api/quick-replies';
import { RealtimeModule } from '@parley/api/realtime';
import { ScheduledMessagesModule } from '@parley/api/scheduled-messages';
import { TemplatesModule } from '@parley/api/templates';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { WebhooksModule } from '@parley/api/webhooks';
import { SCHEMA } from './database/schema';
import { ObservabilityModule } from './observability/observability.module';
import { OnboardingModule } from './onboarding/onboarding.module';

/** The HTTP api: every feature's controllers behind one access guard. Runs no queue processors. */
@Module({
  imports: [
    CoreModule.forRoot(SCHEMA),
    AuthModule,
    OrganizationsModule,
    ApiKeysModule,
    WabaAccountsModule,
    WebhooksModule,
    ContactsModule,
    ConversationsModule,
    QuickRepliesModule,
    ScheduledMessagesModule,
    PrivacyModule,
    MediaModule,
    TemplatesModule,
    CampaignsModule,
    AutomationModule,
    AnalyticsModule,
    AiModule,
    PartnerWebhooksModule,
    OrgExportsModule,
    OnboardingModule,
    AuditModule,
    ObservabilityModule,
    RealtimeModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    // After AccessGuard, which names the caller.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    WindowCounter,
    SecretBox,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class AppModule {}
