export * from './client';
export * from './errors';
export * from './parser';
export * from './rules';
export * from './signature';
export * from './types/send';
export * from './types/webhook';
export * from './limits';
