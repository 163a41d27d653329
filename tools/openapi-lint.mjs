#!/usr/bin/env node
// `npm run openapi:lint`: the committed OpenAPI document through Redocly's linter (the rules in
// redocly.yaml; .redocly.lint-ignore.yaml lists the few findings that are right as they are). Fails
// on any other problem, warnings included.
import { formatProblems, lint, loadConfig } from '@redocly/openapi-core';

const DOCUMENT = 'apps/api/openapi.json';

const config = await loadConfig({ configPath: 'redocly.yaml' });
const problems = (await lint({ ref: DOCUMENT, config })).filter((problem) => !problem.ignored);
if (problems.length > 0) {
  formatProblems(problems, { format: 'codeframe', totals: { errors: 0, warnings: 0, ignored: 0 }, version: '' });
  console.error(`\n${DOCUMENT}: ${problems.length} problem(s) from Redocly's linter`);
  process.exit(1);
}
console.log(`${DOCUMENT}: no problems (Redocly's linter, recommended rules)`);
