// Jest's `globalTeardown` for black-box suites (relative imports only: see jest-global-setup.ts).
export { stopPlatform as default } from './stop';
