import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, currentUserId, DomainError, principal } from '@parley/api/core';
import { OrganizationsService } from '@parley/api/organizations';
import { UsersService } from '@parley/api/users';
import { AuthService } from './auth.service';
import { AuthResponseDto, LoginDto, MeDto, RefreshDto, SignupDto, TokensDto } from './dto/auth.dto';

@ApiTags('Auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @ApiOperation({ operationId: 'signup', summary: 'Create an account and sign in' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiErrors(400, 409)
  signup(@Body() body: SignupDto): Promise<AuthResponseDto> {
    return this.auth.signup(body);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Sign in with email and password (failed attempts are throttled)' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiErrors(400, 401, 429)
  login(@Body() body: LoginDto): Promise<AuthResponseDto> {
    return this.auth.login(body);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'refreshTokens',
    summary: 'Trade a refresh token for a new pair; reusing one revokes the session',
  })
  @ApiOkResponse({ type: TokensDto })
  @ApiErrors(400, 401)
  refresh(@Body() body: RefreshDto): Promise<TokensDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'logout', summary: 'End the session: its access and refresh tokens stop working' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors(401, 403)
  async logout(): Promise<void> {
    const caller = principal();
    if (caller.kind === 'user') await this.auth.logout(caller.sessionId, caller.userId);
  }
}

@ApiTags('Auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in user and their organizations' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401, 403)
  async me(): Promise<MeDto> {
    const user = await this.users.findById(currentUserId());
    if (!user) throw DomainError.notFound('User');
    const memberships = await this.organizations.listForUser(user.id, { limit: 100 });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      createdAt: user.createdAt,
      orgs: memberships.data.map(({ org, role }) => ({ id: org.id, name: org.name, role })),
    };
  }
}
