export * from './sandbox';
export * from './context';
export * from './state';
