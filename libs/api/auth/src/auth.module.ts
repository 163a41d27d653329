import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '@parley/api/api-keys';
import { AuditModule } from '@parley/api/audit';
import { WindowCounter } from '@parley/api/core';
import { OrganizationsModule } from '@parley/api/organizations';
import { UsersModule } from '@parley/api/users';
import { AccessGuard } from './access.guard';
import { AccessTokens } from './access-tokens';
import { AuthController, MeController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthSession } from './entities/auth-session.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { LoginThrottle } from './login-throttle';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';

@Module({
  imports: [
    TypeOrmModule.forFeature([AuthSession, RefreshToken]),
    PassportModule,
    UsersModule,
    OrganizationsModule,
    ApiKeysModule,
    AuditModule,
  ],
  controllers: [AuthController, MeController],
  providers: [AccessTokens, AuthService, LoginThrottle, WindowCounter, JwtStrategy, ApiKeyStrategy, AccessGuard],
  exports: [AuthService, AccessGuard, AccessTokens],
})
export class AuthModule {}
