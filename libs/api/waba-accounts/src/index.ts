export * from './entities/phone-number.entity';
export * from './entities/waba-account.entity';
export * from './waba-accounts.module';
export * from './waba-accounts.service';
export * from './graph-api-clients';
export * from './waba-connection.service';
export * from './dto/waba-account.dto';
export * from './dto/waba-connection-test.dto';
