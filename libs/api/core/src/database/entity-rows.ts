import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

const lists = new WeakMap<DataSource, Map<string, string>>();

/**
 * `alias.column AS "<prefix>property", …` for every column of an entity, so plain SQL (a prepared
 * statement) answers rows shaped like the entity: what TypeORM's `find` gives, without building
 * and planning its query each time. The entities' columns have no transformers; PostgreSQL's
 * types (timestamptz, jsonb, arrays) come back as node-postgres parses them, as they do for TypeORM.
 */
export function entityColumns(
  dataSource: DataSource,
  entity: EntityTarget<ObjectLiteral>,
  alias: string,
  prefix = '',
): string {
  let cache = lists.get(dataSource);
  if (!cache) {
    cache = new Map();
    lists.set(dataSource, cache);
  }
  const metadata = dataSource.getMetadata(entity);
  const key = `${metadata.tableName}:${alias}:${prefix}`;
  let list = cache.get(key);
  if (!list) {
    list = metadata.columns
      .map((column) => `${alias}.${column.databaseName} AS "${prefix}${column.propertyPath}"`)
      .join(', ');
    cache.set(key, list);
  }
  return list;
}

/** Moves `prefix.`-named fields of a row into nested objects: `{ 'contact.id': 1 }` → `{ contact: { id: 1 } }`. */
export function nestRow<T>(row: Record<string, unknown>, prefixes: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const dot = key.indexOf('.');
    const prefix = dot > 0 ? key.slice(0, dot) : null;
    if (prefix && prefixes.includes(prefix)) {
      const nested = (out[prefix] ??= {}) as Record<string, unknown>;
      nested[key.slice(dot + 1)] = value;
    } else out[key] = value;
  }
  return out as T;
}
