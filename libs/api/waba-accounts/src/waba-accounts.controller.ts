import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiOrgScoped, ApiPageResponse, mapPage, Page, PageQuery, tenant } from '@parley/api/core';
import { CreatePhoneNumberDto, PhoneNumberDto, UpdatePhoneNumberDto } from './dto/phone-number.dto';
import { CreateWabaAccountDto, UpdateWabaAccountDto, WabaAccountDto } from './dto/waba-account.dto';
import { WabaConnectionTestDto } from './dto/waba-connection-test.dto';
import { WabaAccountsService } from './waba-accounts.service';
import { TokenHealthService } from './token-health.service';
import { WabaConnectionService } from './waba-connection.service';

@ApiTags('WhatsApp accounts')
@ApiOrgScoped()
@Controller('orgs/:orgId/waba-accounts')
export class WabaAccountsController {
  constructor(
    private readonly accounts: WabaAccountsService,
    private readonly connection: WabaConnectionService,
    private readonly tokenHealth: TokenHealthService,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createWabaAccount',
    summary: 'Connect a WhatsApp Business Account; the response has the webhook URL and verify token for Meta',
  })
  @ApiCreatedResponse({ type: WabaAccountDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async create(@Body() body: CreateWabaAccountDto): Promise<WabaAccountDto> {
    return this.accounts.toDto(await this.accounts.create(tenant().orgId, body), tenant().role);
  }

  @Get()
  @ApiOperation({
    operationId: 'listWabaAccounts',
    summary: 'List connected WhatsApp Business Accounts (secrets masked)',
  })
  @ApiPageResponse(WabaAccountDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: PageQuery): Promise<Page<WabaAccountDto>> {
    return mapPage(await this.accounts.list(tenant().orgId, query), (account) =>
      this.accounts.toDto(account, tenant().role),
    );
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWabaAccount', summary: 'Get a WhatsApp Business Account (secrets masked)' })
  @ApiOkResponse({ type: WabaAccountDto })
  @ApiErrors(401, 403, 404)
  async get(@Param('id') id: string): Promise<WabaAccountDto> {
    return this.accounts.toDto(await this.accounts.get(tenant().orgId, id), tenant().role);
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'updateWabaAccount',
    summary: 'Rename, rotate the app secret or access token, or change the verify token or API version',
  })
  @ApiOkResponse({ type: WabaAccountDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@Param('id') id: string, @Body() body: UpdateWabaAccountDto): Promise<WabaAccountDto> {
    return this.accounts.toDto(await this.accounts.update(tenant().orgId, id, body), tenant().role);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteWabaAccount',
    summary: 'Disconnect a WhatsApp Business Account and its phone numbers',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async delete(@Param('id') id: string): Promise<void> {
    await this.accounts.delete(tenant().orgId, id);
  }

  @Post(':id/test-connection')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'testWabaConnection',
    summary:
      'Check the stored token against Meta: read the WABA and its phone numbers, and add or refresh those numbers here',
  })
  @ApiOkResponse({ type: WabaConnectionTestDto })
  @ApiErrors(401, 403, 404, 409, 422, 502)
  testConnection(@Param('id') id: string): Promise<WabaConnectionTestDto> {
    return this.connection.test(tenant().orgId, id);
  }

  @Post(':id/check-token')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'checkWabaToken',
    summary:
      'Check the access token against Meta now (the worker does daily): valid, expiring soon, or invalid, in `tokenHealth`',
  })
  @ApiOkResponse({ type: WabaAccountDto })
  @ApiErrors(401, 403, 404, 502)
  async checkToken(@Param('id') id: string): Promise<WabaAccountDto> {
    return this.accounts.toDto(await this.tokenHealth.check(tenant().orgId, id), tenant().role);
  }

  @Post(':id/phone-numbers')
  @ApiOperation({ operationId: 'addPhoneNumber', summary: 'Register a business phone number under the account' })
  @ApiCreatedResponse({ type: PhoneNumberDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async addPhoneNumber(@Param('id') id: string, @Body() body: CreatePhoneNumberDto): Promise<PhoneNumberDto> {
    return PhoneNumberDto.from(await this.accounts.addPhoneNumber(tenant().orgId, id, body));
  }

  @Get(':id/phone-numbers')
  @ApiOperation({ operationId: 'listPhoneNumbers', summary: "List the account's phone numbers, oldest first" })
  @ApiPageResponse(PhoneNumberDto)
  @ApiErrors(400, 401, 403, 404)
  async listPhoneNumbers(@Param('id') id: string, @Query() query: PageQuery): Promise<Page<PhoneNumberDto>> {
    return mapPage(await this.accounts.listPhoneNumbers(tenant().orgId, id, query), PhoneNumberDto.from);
  }

  @Patch(':id/phone-numbers/:numberId')
  @ApiOperation({
    operationId: 'updatePhoneNumber',
    summary: "Update a phone number's display number, name, quality rating or throughput",
  })
  @ApiOkResponse({ type: PhoneNumberDto })
  @ApiErrors(400, 401, 403, 404)
  async updatePhoneNumber(
    @Param('id') id: string,
    @Param('numberId') numberId: string,
    @Body() body: UpdatePhoneNumberDto,
  ): Promise<PhoneNumberDto> {
    return PhoneNumberDto.from(await this.accounts.updatePhoneNumber(tenant().orgId, id, numberId, body));
  }

  @Delete(':id/phone-numbers/:numberId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deletePhoneNumber', summary: 'Remove a phone number' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(401, 403, 404)
  async deletePhoneNumber(@Param('id') id: string, @Param('numberId') numberId: string): Promise<void> {
    await this.accounts.deletePhoneNumber(tenant().orgId, id, numberId);
  }
}
