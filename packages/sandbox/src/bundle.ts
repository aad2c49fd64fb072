import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/**
 * Source patches applied to jsonata while it is bundled for the isolate. Each must match exactly
 * once; a jsonata upgrade that moves the code fails the build loudly instead of silently losing a guard.
 *
 * Why: each isolate keeps one mapping context for many evaluations, so nothing an expression does may
 * outlive it. The transform operator (`~> |pattern|update|`) mutates whatever `$clone` returns, and a
 * mapping can rebind `$clone` to return a shared object, e.g. a built-in's function definition: in
 * plain jsonata `( $clone := function($v){ $string }; {} ~> |$|{"signature": null}| )` breaks `$string`
 * for every later evaluation in the realm. So the transform always uses jsonata's own deep clone, and
 * function definitions are locked when created (jsonata still writes `token` and `position` on them
 * before every call, so those two stay writable; they carry no state between calls).
 */
export const jsonataPatches: ReadonlyArray<{ name: string; find: string; replace: string }> = [
  {
    name: 'transform clones with the built-in $clone only',
    find: "var cloneFunction = environment.lookup('clone');",
    replace: "var cloneFunction = staticFrame.lookup('clone');",
  },
  {
    name: 'function definitions are locked',
    find: `        if(typeof signature !== 'undefined') {
            definition.signature = parseSignature(signature);
        }
        return definition;`,
    replace: `        if(typeof signature !== 'undefined') {
            definition.signature = Object.freeze(parseSignature(signature));
        }
        definition.token = undefined;
        definition.position = undefined;
        Object.defineProperty(definition, '_jsonata_function', { writable: false, configurable: false });
        Object.defineProperty(definition, 'implementation', { writable: false, configurable: false });
        if ('signature' in definition) Object.defineProperty(definition, 'signature', { writable: false, configurable: false });
        return Object.preventExtensions(definition);`,
  },
];

export function patchJsonata(source: string): string {
  let out = source;
  for (const patch of jsonataPatches) {
    const first = out.indexOf(patch.find);
    if (first === -1 || out.indexOf(patch.find, first + 1) !== -1) {
      throw new Error(`jsonata patch "${patch.name}" does not apply to this jsonata version (expected exactly one match)`);
    }
    out = out.slice(0, first) + patch.replace + out.slice(first + patch.find.length);
  }
  return out;
}

/**
 * jsonata 2 is asynchronous in form only: every step is an `async function` and every sub-result is
 * awaited, so that a host may register functions that return promises. Nothing in an isolate can (the
 * mapping library is synchronous and an isolate has no I/O), and the promise machinery is half of
 * jsonata's time: the same source with `async` and `await` taken out evaluates the reference mapping
 * in about half the CPU time (bench/mapping). This is that source. Each rewrite is checked against the
 * count it expects, and none of `async`/`await`/`Promise` may be left, so a jsonata upgrade that adds a
 * new asynchronous construct fails the build loudly instead of leaving a promise where a value belongs.
 *
 * One thing only the asynchronous form can do: recurse without bound, because every await unwinds the
 * native stack. The runtime therefore falls back to upstream jsonata when this build overflows the
 * stack (isolate/evaluate.ts); results are otherwise identical (test/jsonata-sync.test.ts compares them).
 */
export const synchronousRewrites: ReadonlyArray<{ name: string; find: RegExp; replace: string; count: number }> = [
  // Array constructors and group-by evaluate their parts with Promise.all over async callbacks; in order
  // and without promises the same callbacks give the array of values that Promise.all resolved to.
  { name: 'Promise.all over values', find: /await Promise\.all\(/g, replace: '(', count: 2 },
  { name: 'async functions', find: /\basync function\b/g, replace: 'function', count: 43 },
  { name: 'async arrow functions', find: /\basync (?=\()/g, replace: '', count: 3 },
  // `await` is a prefix operator binding tighter than any binary one: dropping it leaves the operand.
  { name: 'await', find: /\bawait\b\s*/g, replace: '', count: 103 },
];

export function toSynchronousJsonata(source: string): string {
  let out = source;
  for (const rewrite of synchronousRewrites) {
    const found = out.match(rewrite.find)?.length ?? 0;
    if (found !== rewrite.count) {
      throw new Error(`jsonata rewrite "${rewrite.name}" expected ${rewrite.count} matches and found ${found}: review the rewrite against this jsonata version`);
    }
    out = out.replace(rewrite.find, rewrite.replace);
  }
  const left = /\basync\s*(?:function\b|\(|[\w$]+\s*=>)|\bawait\b|\bPromise\b|\.then\(/.exec(out);
  if (left !== null) {
    const line = out.slice(0, left.index).split('\n').length;
    throw new Error(`jsonata still has an asynchronous construct after the rewrite ("${left[0]}" on line ${line})`);
  }
  return out;
}

/** The synchronous jsonata as the isolate gets it (patched, then rewritten): a UMD script setting `module.exports`. */
export async function synchronousJsonataSource(): Promise<string> {
  return toSynchronousJsonata(patchJsonata(await readFile(createRequire(import.meta.url).resolve('jsonata'), 'utf8')));
}

/** The module id under which the isolate runtime imports the synchronous jsonata. */
export const synchronousJsonataModule = '#jsonata-sync';

const patchPlugin: esbuild.Plugin = {
  name: 'tributary-jsonata-patches',
  setup(build) {
    build.onLoad({ filter: /[\\/]jsonata[\\/]jsonata\.js$/, namespace: 'file' }, async (args) => ({
      contents: patchJsonata(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
    build.onResolve({ filter: new RegExp(`^${synchronousJsonataModule}$`) }, () => ({
      path: createRequire(import.meta.url).resolve('jsonata'),
      namespace: 'jsonata-sync',
    }));
    build.onLoad({ filter: /.*/, namespace: 'jsonata-sync' }, async () => ({ contents: await synchronousJsonataSource(), loader: 'js' }));
  },
};

export interface RuntimeBundle {
  /** IIFE script: jsonata (patched), the mapping library and the runtime entry points. */
  code: string;
  /** Bytes of `code`. */
  bytes: number;
  buildMs: number;
}

/** Builds the isolate runtime from src/isolate/runtime.ts. Pure ECMAScript out: platform neutral. */
export async function buildRuntimeBundle(): Promise<RuntimeBundle> {
  const started = performance.now();
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./isolate/runtime.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2023',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [patchPlugin],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no output for the isolate runtime');
  return { code: output.text, bytes: output.contents.byteLength, buildMs: performance.now() - started };
}
