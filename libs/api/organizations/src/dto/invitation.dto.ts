import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NormalizeEmail, ROLES, Role } from '@parley/api/core';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import type { Invitation, InvitationStatus } from '../entities/invitation.entity';

export class CreateInvitationDto {
  @ApiProperty({ example: 'bruno@example.com' })
  @NormalizeEmail()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: ROLES, example: 'agent' })
  @IsIn(ROLES)
  role!: Role;
}

export class InvitationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'bruno@example.com' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] })
  status!: InvitationStatus;

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty()
  createdAt!: Date;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid' })
  invitedById!: string | null;

  static from(invitation: Invitation): InvitationDto {
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status(),
      expiresAt: invitation.expiresAt,
      createdAt: invitation.createdAt,
      invitedById: invitation.invitedById,
    };
  }
}

/** Returned once, when the invitation is created: the token and link are never shown again. */
export class CreatedInvitationDto extends InvitationDto {
  @ApiProperty({ description: 'One-time token; only its hash is stored' })
  token!: string;

  @ApiProperty({
    example: 'http://localhost:4200/invitations/3q2-...',
    description: 'Link for the invitee, built from CONSOLE_URL',
  })
  inviteUrl!: string;
}

/** What the invitee sees before accepting. */
export class InvitationPreviewDto {
  @ApiProperty({ format: 'uuid' })
  orgId!: string;

  @ApiProperty({ example: 'Acme Retail' })
  orgName!: string;

  @ApiProperty({ example: 'bruno@example.com' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty()
  expiresAt!: Date;
}
