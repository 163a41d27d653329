export * from './access.guard';
export * from './access-tokens';
export * from './auth.module';
export * from './auth.service';
export * from './entities/auth-session.entity';
export * from './entities/refresh-token.entity';
