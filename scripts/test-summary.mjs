// Prints vitest's totals as one plain closing line ("Tests: N passed, N failed, N skipped") for tools
// that read a run's last line, and exits with the test run's own exit code.
import { existsSync, readFileSync } from 'node:fs';

const [file, code = '1'] = process.argv.slice(2);
if (file && existsSync(file)) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} else {
  console.log('Tests: 0 passed, 1 failed (vitest wrote no results)');
}
process.exit(Number(code));
