import type { z } from 'zod';
import type { BusinessCentralClient } from './client.ts';
import { newestModified } from './models.ts';
import { and, odataDateTime } from './odata.ts';

export interface DeltaResult<T> {
  rows: T[];
  /** The newest lastModifiedDateTime read (or the one given when nothing changed). */
  watermark: string | null;
  /** True when more changed rows are waiting (read them with the new watermark). */
  truncated: boolean;
}

/**
 * Rows changed after `since` (`lastModifiedDateTime gt <since>`, unquoted as OData wants), oldest first.
 * A cut at `maxItems` never splits rows sharing one timestamp, so reading on from the watermark with `gt`
 * misses nothing.
 */
export async function readDelta<T extends { lastModifiedDateTime: string }>(
  client: BusinessCentralClient,
  o: { entitySet: string; since: string | null; filter?: string | undefined; expand?: string; schema: z.ZodType<T>; maxItems: number; pageSize?: number },
): Promise<DeltaResult<T>> {
  const $filter = and(o.since ? `lastModifiedDateTime gt ${odataDateTime(o.since)}` : undefined, o.filter);
  const rows: T[] = [];
  let truncated = false;
  const listing = client.list(o.entitySet, { $filter, $orderby: 'lastModifiedDateTime asc,number asc', ...(o.expand ? { $expand: o.expand } : {}) }, o.schema, {
    ...(o.pageSize ? { pageSize: o.pageSize } : {}),
    maxPages: 10_000,
  });
  for await (const row of listing) {
    const last = rows[rows.length - 1];
    if (rows.length >= o.maxItems && last && row.lastModifiedDateTime !== last.lastModifiedDateTime) {
      truncated = true;
      break;
    }
    rows.push(row);
  }
  return { rows, watermark: newestModified(rows, o.since), truncated };
}
