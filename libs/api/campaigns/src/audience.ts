import { containsPattern } from '@parley/api/core';
import type { Audience, ParameterSource } from './entities/campaign.entity';

/** Phone numbers of an explicit audience that belong to no contact. */
export const UNKNOWN_NUMBER = 'unknown_number';

/** Collects positional parameters for one SQL statement: `bind(value)` answers its `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];

  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The SQL that picks an audience's contacts (`FROM contacts c WHERE <where>`) and works out, per contact, the template
 * parameter values and the reason it would be skipped. Everything is one statement, so launching
 * a campaign to 100,000 contacts is one INSERT ... SELECT, not 100,000 round trips.
 */
export function audienceSelect(
  orgId: string,
  audience: Audience,
  parameters: Record<string, ParameterSource>,
  phones: string[] | undefined,
  params: SqlParams,
): { where: string; skipReason: string; parameterValues: () => string } {
  const where = [`c.org_id = ${params.bind(orgId)}::uuid`, 'c.erased_at IS NULL'];
  const { tags, attributes, contactIds } = audience;
  if (tags?.any?.length) where.push(`c.tags && ${params.bind(tags.any)}::text[]`);
  if (tags?.all?.length) where.push(`c.tags @> ${params.bind(tags.all)}::text[]`);
  if (tags?.none?.length) where.push(`NOT (c.tags && ${params.bind(tags.none)}::text[])`);
  for (const condition of attributes ?? []) {
    const value = `(c.attributes ->> ${params.bind(condition.key)}::text)`;
    switch (condition.op) {
      case 'eq':
        where.push(`${value} = ${params.bind(condition.value ?? '')}::text`);
        break;
      case 'neq':
        where.push(`${value} IS DISTINCT FROM ${params.bind(condition.value ?? '')}::text`);
        break;
      case 'contains':
        where.push(`${value} ILIKE ${params.bind(containsPattern(condition.value ?? ''))}::text`);
        break;
      case 'exists':
        where.push(`jsonb_exists(c.attributes, ${params.bind(condition.key)}::text)`);
        break;
      case 'not_exists':
        where.push(`NOT jsonb_exists(c.attributes, ${params.bind(condition.key)}::text)`);
        break;
    }
  }
  if (contactIds) where.push(`c.id = ANY(${params.bind(contactIds)}::uuid[])`);
  if (phones) where.push(`c.phone = ANY(${params.bind(phones)}::text[])`);

  // Bound only where used: PostgreSQL refuses a statement with a parameter it never sees.
  const missing = Object.values(parameters)
    .filter((source) => source.source !== 'text' && !source.fallback)
    .map((source) => `${valueSql(source, params)} IS NULL`);
  const skipReason = `CASE
      WHEN c.opt_in_status = 'opted_out' THEN 'opted_out'
      WHEN c.opt_in_status <> 'opted_in' THEN 'not_opted_in'
      WHEN c.phone !~ '^\\+[1-9][0-9]{6,14}$' THEN 'invalid_number'
      ${missing.length > 0 ? `WHEN ${missing.join(' OR ')} THEN 'missing_parameter'` : ''}
    END`;
  const entries = Object.entries(parameters);
  const parameterValues = () =>
    entries.length === 0
      ? `'{}'::jsonb`
      : `jsonb_build_object(${entries.map(([key, source]) => `${params.bind(key)}::text, ${valueSql(source, params)}`).join(', ')})`;
  return { where: where.join(' AND '), skipReason, parameterValues };
}

/**
 * One recipient's value for a parameter: trimmed, with runs of whitespace made one space (Meta
 * refuses new lines, tabs and long runs of spaces in parameters), empty as NULL, then the fallback.
 */
function valueSql(source: ParameterSource, params: SqlParams): string {
  const clean = (sql: string) => `NULLIF(btrim(regexp_replace(${sql}, '\\s+', ' ', 'g')), '')`;
  if (source.source === 'text') return `${params.bind(source.value)}::text`;
  let value: string;
  if (source.source === 'attribute') value = clean(`c.attributes ->> ${params.bind(source.key)}::text`);
  else if (source.field === 'phone') value = 'c.phone';
  else {
    const name = clean(`COALESCE(NULLIF(btrim(c.name), ''), c.profile_name)`);
    value = source.field === 'first_name' ? `NULLIF(split_part(${name}, ' ', 1), '')` : name;
  }
  return source.fallback ? `COALESCE(${value}, ${params.bind(source.fallback)}::text)` : value;
}
