#!/usr/bin/env node
// Generates the console's API client from apps/api/openapi.json; with --check, fails when the committed one is stale.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const configPath = join(root, 'libs/console/api-client/ng-openapi-gen.json');
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const committed = join(root, config.output);
const check = process.argv.includes('--check');

function generate(output) {
  const work = mkdtempSync(join(tmpdir(), 'parley-api-client-'));
  const workConfig = join(work, 'ng-openapi-gen.json');
  // The console calls the api it was served by: paths stay relative (the document's server, `/`, would
  // make the generator prefix a second slash).
  const document = JSON.parse(readFileSync(join(root, config.input), 'utf8'));
  delete document.servers;
  const input = join(work, 'openapi.json');
  writeFileSync(input, JSON.stringify(document));
  writeFileSync(workConfig, JSON.stringify({ ...config, input, templates: join(root, config.templates), output }));
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/ng-openapi-gen/lib/index.js'), '-c', workConfig],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  rmSync(work, { recursive: true, force: true });
  if (result.status !== 0) process.exit(result.status ?? 1);
  typeUnknown(output);
}

/**
 * The generator types open objects (`additionalProperties: true`) and untyped values as `any`, and its
 * response plumbing casts through `any`; Parley's code has no `any`, so they become `unknown` (the
 * request builder comes typed from ./templates).
 */
function typeUnknown(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const source = readFileSync(file, 'utf8');
    // Only the type `any` goes: a property named `any` (an audience's `tags.any`), an enum value
    // (`'any'`, a trigger's `match`) and the word in doc comments stay.
    const typed = source
      .split('\n')
      .map((line) =>
        /^\s*(\*|\/\*|\/\/)/.test(line) ? line : line.replace(/(?<!['"])\bany\b(?!['"]|\??:)/g, 'unknown'),
      )
      .join('\n');
    if (typed !== source) writeFileSync(file, typed);
  }
}

if (!check) {
  generate(committed);
  console.log(`api client written to ${config.output}`);
} else {
  const fresh = mkdtempSync(join(tmpdir(), 'parley-api-client-fresh-'));
  generate(fresh);
  const diff = spawnSync('diff', ['-r', '-u', committed, fresh], { encoding: 'utf8' });
  rmSync(fresh, { recursive: true, force: true });
  if (diff.status !== 0) {
    console.error(diff.stdout.slice(0, 4000));
    console.error(`\nThe committed API client (${config.output}) is stale: run \`npm run api-client\` and commit it.`);
    process.exit(1);
  }
  console.log('api client matches apps/api/openapi.json');
}
