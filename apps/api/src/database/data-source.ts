import 'reflect-metadata';
import { dataSourceOptions, loadConfig } from '@parley/api/core';
import { DataSource } from 'typeorm';
import { SCHEMA } from './schema';

/** For the TypeORM CLI (`npm run migration:generate -- --name=AddThing`, `npm run migration:run`). */
export default new DataSource(dataSourceOptions(loadConfig(), SCHEMA));
