import fs from 'node:fs';
const counts = new Map<string, number>();
for (const fn of ['openSync', 'writeFileSync', 'unlinkSync', 'lstatSync', 'fstatSync', 'renameSync', 'closeSync', 'writeSync', 'readSync'] as const) {
  const orig = (fs as any)[fn];
  (fs as any)[fn] = function (this: unknown, ...args: unknown[]) { const k = `${fn} ${typeof args[0] === 'string' ? args[0].replace(/.*pglite\//, '') : 'fd'}`; counts.set(k, (counts.get(k) ?? 0) + 1); return orig.apply(this, args); };
}
process.on('exit', () => { for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 80)) console.log(v, k); });
await import('./sb.ts');
