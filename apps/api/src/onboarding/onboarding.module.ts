import { Module } from '@nestjs/common';
import { OrganizationsModule } from '@parley/api/organizations';
import { TemplatesModule } from '@parley/api/templates';
import { WabaAccountsModule } from '@parley/api/waba-accounts';
import { PlatformController } from './platform.controller';
import { SandboxOnboardingController } from './sandbox-onboarding.controller';
import { SandboxOnboardingService } from './sandbox-onboarding.service';

/**
 * Getting an org to its first conversation: what the console asks before sign-in (`GET /platform`)
 * and the one-click sandbox account. Lives in the app because it composes features (WABA accounts,
 * templates) that must not depend on each other the other way round.
 */
@Module({
  imports: [OrganizationsModule, WabaAccountsModule, TemplatesModule],
  controllers: [PlatformController, SandboxOnboardingController],
  providers: [SandboxOnboardingService],
})
export class OnboardingModule {}
