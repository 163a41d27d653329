import { InitialSchema1795330636898 } from './1795330636898-InitialSchema';

/** Every migration, in order. Add new ones here after `npm run migration:generate -- --name=<PascalName>`. */
export const MIGRATIONS = [InitialSchema1795330636898];
