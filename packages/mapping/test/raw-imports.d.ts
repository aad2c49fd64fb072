// Vite (and so vitest) imports any file as text with the `?raw` suffix; tests use it to read the
// fixture mapping without node:fs, which this pure package's tsconfig does not know.
declare module '*?raw' {
  const text: string;
  export default text;
}

// Vite's import.meta.glob, used by the purity test to read this package's sources as text.
interface ImportMeta {
  glob(pattern: string | string[], options: { query: '?raw'; import: 'default'; eager: true }): Record<string, string>;
}
