import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@parley/api/audit';
import { SecretBox } from '@parley/api/core';
import { PhoneNumber } from './entities/phone-number.entity';
import { GraphApiClients } from './graph-api-clients';
import { WabaAccount } from './entities/waba-account.entity';
import { WabaAccountsController } from './waba-accounts.controller';
import { WabaAccountsService } from './waba-accounts.service';
import { WabaConnectionService } from './waba-connection.service';

@Module({
  imports: [TypeOrmModule.forFeature([WabaAccount, PhoneNumber]), AuditModule],
  controllers: [WabaAccountsController],
  providers: [WabaAccountsService, GraphApiClients, WabaConnectionService, SecretBox],
  exports: [WabaAccountsService, GraphApiClients, WabaConnectionService],
})
export class WabaAccountsModule {}
