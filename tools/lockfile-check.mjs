#!/usr/bin/env node
// `node tools/lockfile-check.mjs <committed lockfile> <lockfile after npm install>`: fails unless
// `npm install` kept the committed lockfile, apart from one thing it may add by itself: entries for
// optional packages built for other platforms (darwin, win32, arm, musl...), which npm records as soon as
// the registry serves them. Those are never installed here; anything else added, removed or changed
// means package.json and the lockfile disagree.
import { readFileSync } from 'node:fs';

const [committedPath, installedPath] = process.argv.slice(2);
const committed = JSON.parse(readFileSync(committedPath, 'utf8')).packages;
const installed = JSON.parse(readFileSync(installedPath, 'utf8')).packages;

const libc = process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
const otherPlatform = (entry) =>
  entry.optional === true &&
  ((entry.os && !entry.os.includes(process.platform)) ||
    (entry.cpu && !entry.cpu.includes(process.arch)) ||
    (entry.libc && !entry.libc.includes(libc)));

const problems = [];
for (const [path, entry] of Object.entries(installed)) {
  const before = committed[path];
  if (!before) {
    if (!otherPlatform(entry)) problems.push(`added ${path || '(root)'}`);
  } else if (JSON.stringify(before) !== JSON.stringify(entry)) problems.push(`changed ${path || '(root)'}`);
}
for (const path of Object.keys(committed)) if (!(path in installed)) problems.push(`removed ${path}`);

if (problems.length > 0) {
  console.error(`package-lock.json does not match package.json (run npm install and commit the lockfile):`);
  for (const problem of problems.slice(0, 20)) console.error(`  ${problem}`);
  process.exit(1);
}
