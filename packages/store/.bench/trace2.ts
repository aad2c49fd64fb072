import fs from 'node:fs';
const names = new Map<string, Set<string>>(); const counts = new Map<string, number>();
for (const fn of ['openSync', 'writeFileSync', 'unlinkSync', 'rmdirSync', 'mkdirSync'] as const) {
  const orig = (fs as any)[fn];
  (fs as any)[fn] = function (this: unknown, ...args: unknown[]) { if (typeof args[0] === 'string') { const rel = args[0].replace(/.*pglite\//, ''); const k = `${fn} ${rel.replace(/\d+/g, 'N')}`; counts.set(k, (counts.get(k) ?? 0) + 1); const s = names.get(k) ?? new Set(); s.add(rel); names.set(k, s); } return orig.apply(this, args); };
}
process.on('exit', () => { for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(v, k, 'distinct', names.get(k)!.size, [...names.get(k)!].slice(0, 4).join(' ')); });
await import('./sb.ts');
