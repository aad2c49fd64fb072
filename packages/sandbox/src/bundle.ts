import { readFile } from 'node:fs/promises';
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

const patchPlugin: esbuild.Plugin = {
  name: 'tributary-jsonata-patches',
  setup(build) {
    build.onLoad({ filter: /[\\/]jsonata[\\/]jsonata\.js$/ }, async (args) => ({
      contents: patchJsonata(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
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
