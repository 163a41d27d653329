import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Entities and migrations of the Parley database, for the api, the worker, the CLI and tests. */
export const SCHEMA = { entities: ENTITIES, migrations: MIGRATIONS };
