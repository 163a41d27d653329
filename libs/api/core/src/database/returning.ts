import type { DataSource, EntityManager } from 'typeorm';

/**
 * The rows of an `UPDATE … RETURNING` or `DELETE … RETURNING`. TypeORM answers those two as
 * `[rows, affectedCount]` (and every other statement as the rows), so `.length` of the raw answer
 * would always be 2: use this wherever the returned rows decide something.
 */
export async function returning<T = Record<string, unknown>>(
  db: EntityManager | DataSource,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const result: unknown = await db.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number')
    return result[0] as T[];
  return result as T[];
}
