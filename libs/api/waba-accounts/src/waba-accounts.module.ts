import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { SecretBox } from '@parley/api/core';
import { PhoneNumber } from './entities/phone-number.entity';
import { GraphApiClients } from './graph-api-clients';
import { WabaAccount } from './entities/waba-account.entity';
import { TokenHealthJob } from './token-health.job';
import { TokenHealthService } from './token-health.service';
import { WabaAccountsController } from './waba-accounts.controller';
import { WabaAccountsService } from './waba-accounts.service';
import { WabaConnectionService } from './waba-connection.service';

@Module({
  imports: [TypeOrmModule.forFeature([WabaAccount, PhoneNumber]), AuditModule],
  controllers: [WabaAccountsController],
  providers: [WabaAccountsService, GraphApiClients, WabaConnectionService, TokenHealthService, SecretBox],
  exports: [WabaAccountsService, GraphApiClients, WabaConnectionService, TokenHealthService],
})
export class WabaAccountsModule {}

/** The worker's side: checks each account's access token daily. */
@Module({
  imports: [WabaAccountsModule, AuditModule],
  providers: [TokenHealthJob],
})
export class WabaAccountsJobsModule {}
