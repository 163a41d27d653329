export * from './sandbox';
export * from './context';
export * from './state';
export * from './templates';
