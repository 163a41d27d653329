import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

function paths(value: unknown): string[] {
  if (value === undefined) return ['/'];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function join(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment.length > 0)
    .join('/');
  return `/${joined}`;
}

/** `METHOD /path` keys of a controller handler, as used by `ROUTE_POLICY`. */
export function routeKeysOf(controller: object, handler: object): string[] {
  const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
  const prefixes = paths(Reflect.getMetadata(PATH_METADATA, controller));
  const suffixes = paths(Reflect.getMetadata(PATH_METADATA, handler));
  return prefixes.flatMap((prefix) => suffixes.map((suffix) => `${method} ${join(prefix, suffix)}`));
}
