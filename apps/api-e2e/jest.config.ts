/* Black-box tests: the built api (two copies), worker and sandbox as separate processes, over real HTTP and Socket.io. */
export default {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  globalSetup: '<rootDir>/../../libs/testing/platform/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/platform/src/jest-global-teardown.ts',
  globals: { platform: { apis: 2, project: 'api-e2e' } },
  // One platform for the run: the files share it, one at a time.
  maxWorkers: 1,
  testTimeout: 60_000,
};
