// The platform as users run it (built api, worker, sandbox, optionally the console), for black-box test suites.
export * from './platform';
export { startPlatform, type PlatformOptions } from './start';
export { stopPlatform } from './stop';
