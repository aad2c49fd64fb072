// The synchronous build of jsonata that the runtime bundle provides under this id (see ../bundle.ts,
// toSynchronousJsonata): upstream's API with results returned instead of promised.
declare module '#jsonata-sync' {
  import type jsonata from 'jsonata';

  export interface SyncExpression extends Omit<jsonata.Expression, 'evaluate'> {
    evaluate(input: unknown, bindings?: Record<string, unknown>): unknown;
  }

  export default function jsonataSync(text: string, options?: { recover?: boolean }): SyncExpression;
}
