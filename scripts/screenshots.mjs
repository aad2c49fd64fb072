#!/usr/bin/env node
// Refreshes docs/screenshots/*.png from the real app: starts Tributary in-process with a seeded
// workspace, drives Debian's Chromium (/usr/bin/chromium) through the main screens at 1440×900.
// Usage (Node 24, which runs the TypeScript sources directly):
//   .cache/node/bin/node scripts/screenshots.mjs [out dir, default docs/screenshots]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { takeScreenshots } from '../test/browser/support/screenshots.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'docs/screenshots'));
const started = Date.now();
const files = await takeScreenshots(outDir, (msg) => process.stderr.write(`[screenshots] ${msg}\n`));
for (const f of files) process.stdout.write(`${path.relative(process.cwd(), f)}\n`);
process.stderr.write(`[screenshots] ${files.length} screens in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
