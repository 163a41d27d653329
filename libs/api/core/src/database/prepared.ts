import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { returning } from './returning';

const names = new Map<string, string>();

/** A stable name per statement text: node-postgres refuses one name for two texts. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `parley_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * Runs `sql` as a named prepared statement: each connection has PostgreSQL parse it once and,
 * after a few runs, reuse one plan. Meant for the statements run on every webhook, where planning
 * costs more than running (`messages` has over a dozen indexes for the planner to weigh). Answers
 * rows, as `returning` does (errors stay TypeORM's QueryFailedError).
 *
 * The plan is chosen without the parameters' values: look rows up by a unique key and check other
 * columns (the org) on the answer, or a misjudged filter such as `org_id = $1` may win over the key.
 *
 * Behind a pooler, it needs session pooling or PgBouncer 1.21+ with `max_prepared_statements`.
 */
export function preparedQuery<T = Record<string, unknown>>(
  db: EntityManager | DataSource,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  // TypeORM hands its text argument to node-postgres untouched, and node-postgres takes a query
  // config `{ name, text }` there: the one way to name a statement through TypeORM.
  const statement = { name: statementName(sql), text: sql } as unknown as string;
  return returning<T>(db, statement, parameters);
}
