/** JSON values, for jsonb columns: precise enough for TypeORM's partial-entity types, unlike `unknown`. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A parsed payload from outside (Meta's webhooks) as JSON to store. */
export function asJson(value: object): JsonObject {
  return value as JsonObject;
}
