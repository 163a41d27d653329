import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '@parley/api/core';
import { IsIn } from 'class-validator';
import type { Membership } from '../entities/membership.entity';

export class UpdateMemberDto {
  @ApiProperty({ enum: ROLES, example: 'agent' })
  @IsIn(ROLES)
  role!: Role;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ example: 'ana@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ana Lima' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty()
  joinedAt!: Date;

  static from(membership: Membership): MemberDto {
    return {
      userId: membership.userId,
      email: membership.user?.email ?? '',
      name: membership.user?.name ?? '',
      role: membership.role,
      joinedAt: membership.createdAt,
    };
  }
}
