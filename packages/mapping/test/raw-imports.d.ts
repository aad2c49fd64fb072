// Vite (and so vitest) imports any file as text with the `?raw` suffix; tests use it to read the
// fixture mapping without node:fs, which this pure package's tsconfig does not know.
declare module '*?raw' {
  const text: string;
  export default text;
}
