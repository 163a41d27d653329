/* The sandbox over real HTTP: Graph API calls from the real client, webhooks to a real receiver. */
export default {
  displayName: 'wa-sandbox',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testTimeout: 20_000,
  coverageDirectory: '../../coverage/apps/wa-sandbox',
};
