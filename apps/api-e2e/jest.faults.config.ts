/*
 * The fault suite (`npm run test:faults`): the built api, worker and sandbox as processes, with
 * PostgreSQL behind a proxy the tests cut; processes are killed, Redis stopped, bodies fuzzed, and
 * each test asserts what a customer would notice: nothing lost, nothing sent twice, never a 500.
 */
export default {
  displayName: 'faults',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/faults/**/*.fault.ts'],
  globalSetup: '<rootDir>/../../libs/testing/platform/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/platform/src/jest-global-teardown.ts',
  globals: { platform: { apis: 2, project: 'api-e2e', postgresProxy: true } },
  // One platform for the run, and faults that must not overlap: the files run one at a time.
  maxWorkers: 1,
  testTimeout: 120_000,
};
