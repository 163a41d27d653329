/* The console in Chromium (playwright-core) against the built api, worker and sandbox. */
export default {
  displayName: 'console-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  globalSetup: '<rootDir>/../../libs/testing/platform/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/platform/src/jest-global-teardown.ts',
  globals: { platform: { apis: 1, consoleDir: 'dist/apps/console/browser', project: 'console-e2e' } },
  maxWorkers: 1,
  testTimeout: 90_000,
};
