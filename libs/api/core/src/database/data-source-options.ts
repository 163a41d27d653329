import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** PostgreSQL options shared by the api, the worker, the CLI and tests. Migrations only: never `synchronize`. */
export function dataSourceOptions(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
  schema: Pick<DataSourceOptions, 'entities' | 'migrations'>,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // Off: failed queries would be logged with their parameters (secrets). Errors reach the error filter instead.
    logging: false,
    extra: { max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 5_000 },
  };
}
