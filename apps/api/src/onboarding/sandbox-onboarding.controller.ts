import { Body, Controller, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, tenant } from '@parley/api/core';
import { WabaAccountDto, WabaAccountsService } from '@parley/api/waba-accounts';
import { ConnectSandboxDto } from './dto/connect-sandbox.dto';
import { SandboxOnboardingService } from './sandbox-onboarding.service';

@ApiTags('WhatsApp accounts')
@ApiOrgScoped()
@Controller('orgs/:orgId/waba-accounts')
export class SandboxOnboardingController {
  constructor(
    private readonly onboarding: SandboxOnboardingService,
    private readonly accounts: WabaAccountsService,
  ) {}

  @Post('sandbox')
  @ApiOperation({
    operationId: 'connectSandbox',
    summary:
      'Create a WhatsApp Business Account in the bundled sandbox, with a phone number and approved sample templates (hello_world, order_update), and connect it',
  })
  @ApiBody({ type: ConnectSandboxDto, required: false })
  @ApiCreatedResponse({ type: WabaAccountDto })
  @ApiErrors(400, 401, 403, 404, 409, 502)
  async connect(@Body() body: ConnectSandboxDto): Promise<WabaAccountDto> {
    return this.accounts.toDto(await this.onboarding.connect(tenant().orgId, body), tenant().role);
  }
}
