export * from './audit.module';
export * from './audit.service';
export * from './dto/audit-log.dto';
export * from './entities/audit-log.entity';
