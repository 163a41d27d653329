// Parley's partner SDK: a typed API client and webhook verification, free of any framework.
export * from './client';
export type { components, operations, paths } from './generated/schema';
export * from './webhooks';
