import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { SecretBox } from '@parley/api/core';
import { PhoneNumber } from './entities/phone-number.entity';
import { GraphApiClients } from './graph-api-clients';
import { WabaAccount } from './entities/waba-account.entity';
import { WabaAccountsController } from './waba-accounts.controller';
import { WabaAccountsService } from './waba-accounts.service';

@Module({
  imports: [TypeOrmModule.forFeature([WabaAccount, PhoneNumber]), AuditModule],
  controllers: [WabaAccountsController],
  providers: [WabaAccountsService, GraphApiClients, SecretBox],
  exports: [WabaAccountsService, GraphApiClients],
})
export class WabaAccountsModule {}
