import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrors,
  ApiOrgScoped,
  ApiPageResponse,
  currentUserId,
  mapPage,
  Page,
  PageQuery,
  tenant,
} from '@parley/api/core';
import { CreateOrganizationDto, OrganizationDto, UpdateOrganizationDto } from './dto/organization.dto';
import { MemberDto, UpdateMemberDto } from './dto/member.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('Organizations')
@ApiBearerAuth()
@Controller('orgs')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @ApiOperation({ operationId: 'createOrganization', summary: 'Create an organization; the caller becomes its owner' })
  @ApiCreatedResponse({ type: OrganizationDto })
  @ApiErrors(400, 401, 403)
  async create(@Body() body: CreateOrganizationDto): Promise<OrganizationDto> {
    return OrganizationDto.from(await this.organizations.create(currentUserId(), body.name), 'owner');
  }

  @Get()
  @ApiOperation({
    operationId: 'listMyOrganizations',
    summary: "List the organizations the caller belongs to, with the caller's role",
  })
  @ApiPageResponse(OrganizationDto)
  @ApiErrors(400, 401, 403)
  async list(@Query() query: PageQuery): Promise<Page<OrganizationDto>> {
    const page = await this.organizations.listForUser(currentUserId(), query);
    return mapPage(page, ({ org, role }) => OrganizationDto.from(org, role));
  }

  @Get(':orgId')
  @ApiOrgScoped()
  @ApiOperation({ operationId: 'getOrganization', summary: 'Get an organization' })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiErrors(401, 403, 404)
  async get(): Promise<OrganizationDto> {
    const { orgId, role } = tenant();
    return OrganizationDto.from(await this.organizations.get(orgId), role);
  }

  @Patch(':orgId')
  @ApiOrgScoped()
  @ApiOperation({
    operationId: 'updateOrganization',
    summary: 'Rename an organization or change its opt-out and opt-in words (admins and owners)',
  })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@Body() body: UpdateOrganizationDto): Promise<OrganizationDto> {
    const { orgId, role } = tenant();
    return OrganizationDto.from(await this.organizations.update(orgId, body), role);
  }

  @Delete(':orgId')
  @ApiOrgScoped()
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteOrganization', summary: 'Delete an organization and all its data (owners only)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 403, 404)
  async delete(): Promise<void> {
    await this.organizations.delete(tenant().orgId);
  }
}

@ApiTags('Members')
@Controller('orgs/:orgId/members')
export class MembersController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @ApiOrgScoped()
  @ApiOperation({ operationId: 'listMembers', summary: 'List the members of an organization, oldest first' })
  @ApiPageResponse(MemberDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: PageQuery): Promise<Page<MemberDto>> {
    return mapPage(await this.organizations.listMembers(tenant().orgId, query), MemberDto.from);
  }

  @Patch(':userId')
  @ApiOrgScoped({ apiKeys: false })
  @ApiOperation({
    operationId: 'changeMemberRole',
    summary: "Change a member's role; only owners touch owners, and the last owner stays",
  })
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(400, 401, 403, 404, 422)
  async changeRole(@Param('userId') userId: string, @Body() body: UpdateMemberDto): Promise<MemberDto> {
    return MemberDto.from(await this.organizations.changeRole(tenant().orgId, userId, body.role));
  }

  @Delete(':userId')
  @ApiOrgScoped({ apiKeys: false })
  @HttpCode(204)
  @ApiOperation({ operationId: 'removeMember', summary: 'Remove a member; the last owner cannot be removed' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(401, 403, 404, 422)
  async remove(@Param('userId') userId: string): Promise<void> {
    await this.organizations.removeMember(tenant().orgId, userId);
  }
}
