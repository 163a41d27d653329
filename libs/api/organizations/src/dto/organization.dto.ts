import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role, Trim } from '@parley/api/core';
import { IsString, Length } from 'class-validator';
import type { Organization } from '../entities/organization.entity';

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Acme Retail', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class UpdateOrganizationDto extends CreateOrganizationDto {}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Acme Retail' })
  name!: string;

  @ApiProperty({
    enum: ROLES,
    description: "The caller's role in this organization (an API key's is given by its scopes)",
  })
  role!: Role;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from(org: Organization, role: Role): OrganizationDto {
    return { id: org.id, name: org.name, role, createdAt: org.createdAt, updatedAt: org.updatedAt };
  }
}
