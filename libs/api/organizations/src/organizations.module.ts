import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { MailModule } from '@parley/api/core';
import { UsersModule } from '@parley/api/users';
import { Invitation } from './entities/invitation.entity';
import { Membership } from './entities/membership.entity';
import { Organization } from './entities/organization.entity';
import { InvitationsController, OrgInvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { MembersController, OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';

@Module({
  imports: [TypeOrmModule.forFeature([Organization, Membership, Invitation]), UsersModule, AuditModule, MailModule],
  controllers: [OrganizationsController, MembersController, OrgInvitationsController, InvitationsController],
  providers: [OrganizationsService, InvitationsService],
  exports: [OrganizationsService, InvitationsService],
})
export class OrganizationsModule {}
