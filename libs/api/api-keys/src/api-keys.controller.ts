import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiOrgScoped,
  ApiPageResponse,
  mapPage,
  Page,
  PageQuery,
  principal,
  tenant,
} from '@parley/api/core';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

@ApiTags('API keys')
@ApiOrgScoped({ apiKeys: false })
@Controller('orgs/:orgId/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    operationId: 'createApiKey',
    summary: 'Create an API key; the response is the only time the key is shown',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiErrors(400, 401, 403, 404)
  async create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const caller = principal();
    const { apiKey, key } = await this.apiKeys.create(
      tenant().orgId,
      body,
      caller.kind === 'user' ? caller.userId : null,
    );
    return { ...ApiKeyDto.from(apiKey), key };
  }

  @Get()
  @ApiOperation({ operationId: 'listApiKeys', summary: 'List API keys (masked), newest first, revoked ones included' })
  @ApiPageResponse(ApiKeyDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: PageQuery): Promise<Page<ApiKeyDto>> {
    return mapPage(await this.apiKeys.list(tenant().orgId, query), ApiKeyDto.from);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key; it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(401, 403, 404)
  async revoke(@Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(tenant().orgId, id);
  }
}
