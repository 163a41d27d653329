import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { ContactsModule } from '@parley/api/contacts';
import { ConversationsModule } from '@parley/api/conversations';
import { PresenceModule } from '@parley/api/realtime';
import { AutomationController } from './automation.controller';
import { AutomationEngine } from './automation-engine';
import { AutomationRulesService } from './automation-rules.service';
import { AutomationRule } from './entities/automation-rule.entity';
import { AutomationRun } from './entities/automation-run.entity';
import { FlowEnrollment } from './entities/flow-enrollment.entity';
import { Flow } from './entities/flow.entity';
import { FlowRunner } from './flow-runner';
import { FlowsService } from './flows.service';
import { AutomationJob } from './jobs/automation.job';

/** Rules, flows and the starter bot: the API, and the engine the webhook path runs. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AutomationRule, AutomationRun, Flow, FlowEnrollment]),
    AuditModule,
    ContactsModule,
    ConversationsModule,
    PresenceModule,
  ],
  controllers: [AutomationController],
  providers: [AutomationRulesService, FlowsService, FlowRunner, AutomationEngine],
  exports: [AutomationRulesService, FlowsService, FlowRunner, AutomationEngine],
})
export class AutomationModule {}

/** Worker side: flow steps, tag triggers, idle conversations. */
@Module({
  imports: [AutomationModule],
  providers: [AutomationJob],
})
export class AutomationJobsModule {}
