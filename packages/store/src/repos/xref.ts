import type { Row, Sql } from '../db.ts';
import { StoreError } from '../errors.ts';
import { newId } from '../ids.ts';
import { str } from '../rows.ts';
import type { XrefMethods } from '../store.ts';
import type { XrefLink } from '../types.ts';
import { invalidInput, type RepoContext } from './context.ts';

function collect(entity: string, rows: readonly Row[]): XrefLink | null {
  const first = rows[0];
  if (first === undefined) return null;
  const ids: Record<string, string> = {};
  for (const row of rows) ids[str(row, 'system')] = str(row, 'external_id');
  return { entity, linkId: str(first, 'link_id'), ids };
}

async function readLink(sql: Sql, entity: string, linkId: string): Promise<XrefLink | null> {
  const result = await sql.query(
    'SELECT system, external_id, link_id FROM xref WHERE entity = $1 AND link_id = $2 ORDER BY system',
    [entity, linkId],
  );
  return collect(entity, result.rows);
}

/**
 * Cross-reference ids. A link groups one entity's ids across systems (customer: shopify 7390… ↔
 * erp C00042 ↔ crm 98765), at most one id per system. Writes for one entity type take a
 * transaction-scoped advisory lock, so two concurrent links/merges of the same entity never
 * interleave; reads take no lock.
 */
export function xrefMethods(ctx: RepoContext): XrefMethods {
  const { db } = ctx;
  return {
    async xrefLink(input) {
      const pairs = Object.entries(input.ids);
      if (input.entity === '') throw invalidInput('entity', 'entity must not be empty');
      if (pairs.length === 0) throw invalidInput('ids', 'ids must name at least one system');
      for (const [system, id] of pairs) {
        if (system === '' || typeof id !== 'string' || id === '') throw invalidInput(`ids.${system}`, 'system and id must be non-empty strings');
      }
      const systems = pairs.map(([system]) => system);
      const externalIds = pairs.map(([, id]) => id);

      return db.transaction(async (sql) => {
        await sql.query(`SELECT pg_advisory_xact_lock(hashtext('tributary.xref'), hashtext($1))`, [input.entity]);
        const existing = await sql.query(
          `SELECT DISTINCT link_id FROM xref
           WHERE entity = $1 AND (system, external_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
           ORDER BY link_id`,
          [input.entity, systems, externalIds],
        );
        const linkIds = existing.rows.map((row) => str(row, 'link_id'));
        const target = linkIds[0] ?? newId('lnk');
        const others = linkIds.slice(1);

        // Everything the merged link would hold, to refuse giving one system two ids.
        const merged = new Map<string, Set<string>>();
        const add = (system: string, id: string): void => {
          const set = merged.get(system) ?? new Set<string>();
          set.add(id);
          merged.set(system, set);
        };
        if (linkIds.length > 0) {
          const current = await sql.query(
            'SELECT system, external_id FROM xref WHERE entity = $1 AND link_id = ANY($2::text[])',
            [input.entity, linkIds],
          );
          for (const row of current.rows) add(str(row, 'system'), str(row, 'external_id'));
        }
        for (const [system, id] of pairs) add(system, id);
        const clashes = [...merged].filter(([, ids]) => ids.size > 1).map(([system, ids]) => ({ system, ids: [...ids].sort() }));
        if (clashes.length > 0) {
          throw new StoreError({
            code: 'STORE_CONFLICT',
            message: `linking would give ${input.entity} more than one id in ${clashes.map((c) => c.system).join(', ')}`,
            details: { entity: input.entity, clashes },
          });
        }

        if (others.length > 0) {
          await sql.query('UPDATE xref SET link_id = $2 WHERE entity = $1 AND link_id = ANY($3::text[])', [
            input.entity,
            target,
            others,
          ]);
        }
        await sql.query(
          `INSERT INTO xref (entity, system, external_id, link_id)
           SELECT $1, system, external_id, $2 FROM unnest($3::text[], $4::text[]) AS t (system, external_id)
           ON CONFLICT (entity, system, external_id) DO NOTHING`,
          [input.entity, target, systems, externalIds],
        );
        const link = await readLink(sql, input.entity, target);
        if (link === null) throw new StoreError({ code: 'STORE_INTERNAL', message: 'xref link vanished inside its transaction' });
        return link;
      });
    },

    async xrefLookup(input) {
      const result = await db.query(
        `SELECT b.external_id FROM xref a
         JOIN xref b ON b.entity = a.entity AND b.link_id = a.link_id AND b.system = $4
         WHERE a.entity = $1 AND a.system = $2 AND a.external_id = $3`,
        [input.entity, input.system, input.id, input.targetSystem],
      );
      const row = result.rows[0];
      return row === undefined ? null : str(row, 'external_id');
    },

    async xrefGet(entity, system, id) {
      const result = await db.query(
        `SELECT b.system, b.external_id, b.link_id FROM xref a
         JOIN xref b ON b.entity = a.entity AND b.link_id = a.link_id
         WHERE a.entity = $1 AND a.system = $2 AND a.external_id = $3
         ORDER BY b.system`,
        [entity, system, id],
      );
      return collect(entity, result.rows);
    },

    async xrefUnlink(key) {
      const result = await db.query('DELETE FROM xref WHERE entity = $1 AND system = $2 AND external_id = $3', [
        key.entity,
        key.system,
        key.id,
      ]);
      return result.rowCount > 0;
    },
  };
}
