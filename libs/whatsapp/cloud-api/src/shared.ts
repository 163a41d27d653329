// The part of the Cloud API library that browsers use too (the console): Meta's message rules, limits and
// template logic, with no Node.js dependency. The index adds the HTTP client, webhook parsing and signatures.
export * from './limits';
export * from './rules';
export * from './templates';
export type * from './types/send';
