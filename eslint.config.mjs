import nx from '@nx/eslint-plugin';

const depConstraints = [
  // Server and browser code never import each other; both may use shared code.
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  // The Cloud API sandbox stands in for Meta: it shares the wire types, never Parley's code.
  { sourceTag: 'scope:sandbox', onlyDependOnLibsWithTags: ['scope:sandbox', 'scope:shared'] },
  // Layers: apps compose features; features use data access and utilities; utilities stand alone.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util'],
  },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util'] },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util'],
  },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
];

const boundaries = (allow = []) => ['error', { enforceBuildableLibDependency: true, allow, depConstraints }];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/tmp',
      '**/coverage',
      '**/.nx',
      'libs/console/api-client/src/generated',
      'libs/partner-sdk/src/generated',
    ],
  },
  {
    files: ['**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries() },
  },
  {
    // Tests play Meta with the real sandbox, in-process.
    files: ['**/test/**/*.ts', '**/*-e2e/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['@parley/whatsapp/sandbox']) },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', '**/scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
];
