#!/usr/bin/env node
// Totals the vitest JSON reports of a CI run into one closing line,
// "N passed, N failed, N skipped", and fails when a suite that must run skipped.
import { existsSync, readFileSync } from 'node:fs';

const reports = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const path of reports) {
  if (!existsSync(path)) {
    console.error(`ci-summary: ${path} is missing: that suite did not run`);
    process.exitCode = 1;
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  const suiteSkipped = report.numPendingTests + report.numTodoTests;
  skipped += suiteSkipped;
  console.log(`${path}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${suiteSkipped} skipped`);
  if (report.numTotalTests === 0) {
    console.error(`ci-summary: ${path} ran no test`);
    process.exitCode = 1;
  }
}
if (failed > 0) process.exitCode = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
