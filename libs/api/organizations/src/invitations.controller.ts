import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
  DomainError,
  mapPage,
  Page,
  PageQuery,
  tenant,
} from '@parley/api/core';
import { UsersService } from '@parley/api/users';
import { CreatedInvitationDto, CreateInvitationDto, InvitationDto, InvitationPreviewDto } from './dto/invitation.dto';
import { OrganizationDto } from './dto/organization.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('Members')
@ApiOrgScoped({ apiKeys: false })
@Controller('orgs/:orgId/invitations')
export class OrgInvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly users: UsersService,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createInvitation',
    summary: 'Invite someone by email; the response carries the one-time token and link (also mailed)',
  })
  @ApiCreatedResponse({ type: CreatedInvitationDto })
  @ApiErrors(400, 401, 403, 404, 409)
  async create(@Body() body: CreateInvitationDto): Promise<CreatedInvitationDto> {
    const inviter = await this.users.findById(currentUserId());
    if (!inviter) throw DomainError.notFound('User');
    const { invitation, token, inviteUrl } = await this.invitations.create(
      tenant().orgId,
      inviter,
      body.email,
      body.role,
    );
    return { ...InvitationDto.from(invitation), token, inviteUrl };
  }

  @Get()
  @ApiOperation({ operationId: 'listInvitations', summary: 'List invitations, newest first, with their status' })
  @ApiPageResponse(InvitationDto)
  @ApiErrors(400, 401, 403, 404)
  async list(@Query() query: PageQuery): Promise<Page<InvitationDto>> {
    return mapPage(await this.invitations.list(tenant().orgId, query), InvitationDto.from);
  }

  @Delete(':invitationId')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeInvitation', summary: 'Revoke a pending invitation' })
  @ApiNoContentResponse({ description: 'Revoked (or already ended)' })
  @ApiErrors(401, 403, 404)
  async revoke(@Param('invitationId') invitationId: string): Promise<void> {
    await this.invitations.revoke(tenant().orgId, invitationId);
  }
}

@ApiTags('Members')
@Controller('invitations')
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly users: UsersService,
  ) {}

  @Get(':token')
  @ApiOperation({
    operationId: 'previewInvitation',
    summary: 'What an invitation offers, for the accept page (the token is the credential)',
  })
  @ApiOkResponse({ type: InvitationPreviewDto })
  @ApiErrors(404, 410)
  async preview(@Param('token') token: string): Promise<InvitationPreviewDto> {
    const { invitation, org } = await this.invitations.preview(token);
    return {
      orgId: org.id,
      orgName: org.name,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
    };
  }

  @Post(':token/accept')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'acceptInvitation',
    summary: 'Accept an invitation as the signed-in invitee; returns the joined organization',
  })
  @ApiOkResponse({ type: OrganizationDto })
  @ApiErrors(401, 403, 404, 409, 410)
  async accept(@Param('token') token: string): Promise<OrganizationDto> {
    const user = await this.users.findById(currentUserId());
    if (!user) throw DomainError.notFound('User');
    const { org, role } = await this.invitations.accept(token, user);
    return OrganizationDto.from(org, role);
  }
}
