import { Module } from '@nestjs/common';
import { AuthModule } from '@parley/api/auth';
import { OrganizationsModule } from '@parley/api/organizations';
import { UsersModule } from '@parley/api/users';
import { PresenceModule } from './presence.module';
import { RealtimeGateway } from './realtime.gateway';
import { SocketAuthenticator } from './socket-authenticator';

/**
 * The Socket.io gateway of the api. Events raised anywhere reach it through `RealtimePublisher`
 * (core) and the Redis adapter (`useRealtimeAdapter`).
 */
@Module({
  imports: [AuthModule, OrganizationsModule, UsersModule, PresenceModule],
  providers: [SocketAuthenticator, RealtimeGateway],
  exports: [PresenceModule],
})
export class RealtimeModule {}
