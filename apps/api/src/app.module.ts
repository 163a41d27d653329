import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '@parley/api/api-keys';
import { AuditModule } from '@parley/api/audit';
import { AccessGuard, AuthModule } from '@parley/api/auth';
import { ConversationsModule } from '@parley/api/conversations';
import { CoreModule } from '@parley/api/core';
import { OrganizationsModule } from '@parley/api/organizations';
import { TemplatesModule } from '@parley/api/templates';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { WebhooksModule } from '@parley/api/webhooks';
import { SCHEMA } from './database/schema';
import { ObservabilityModule } from './observability/observability.module';

/** The HTTP api: every feature's controllers behind one access guard. Runs no queue processors. */
@Module({
  imports: [
    CoreModule.forRoot(SCHEMA),
    AuthModule,
    OrganizationsModule,
    ApiKeysModule,
    WabaAccountsModule,
    WebhooksModule,
    ConversationsModule,
    TemplatesModule,
    AuditModule,
    ObservabilityModule,
  ],
  providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
})
export class AppModule {}
