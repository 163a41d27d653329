import { ApiProperty } from '@nestjs/swagger';
import { NormalizeEmail, ROLES, Role, Trim } from '@parley/api/core';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password';

export class SignupDto {
  @ApiProperty({ example: 'ana@example.com' })
  @NormalizeEmail()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    example: 'correct horse 7 battery',
    minLength: 10,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'At least 10 characters, letters mixed with digits or symbols, not common, not your name or email',
  })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiProperty({ example: 'Ana Lima' })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ana@example.com' })
  @NormalizeEmail()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse 7 battery' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from sign-in or the previous refresh (each works once)' })
  @IsString()
  @Length(1, 256)
  refreshToken!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ana@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ana Lima' })
  name!: string;
}

export class TokensDto {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer`; short-lived' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque; trade it at /auth/refresh for a new pair. Single use' })
  refreshToken!: string;

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;
}

export class AuthResponseDto extends TokensDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;
}

export class MyOrganizationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Acme Retail' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

export class MeDto extends UserDto {
  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ type: [MyOrganizationDto], description: 'Organizations the user belongs to (first 100)' })
  orgs!: MyOrganizationDto[];
}
