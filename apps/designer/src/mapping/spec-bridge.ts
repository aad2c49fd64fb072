import { isMappingError, jsonataToSpec, specToJsonata } from '@tributary/mapping';
import type { MappingSpec } from '@tributary/mapping';

export type SpecToTextResult = { ok: true; text: string } | { ok: false; message: string; row: number | null };

/** Rows → JSONata with @tributary/mapping; a bad row comes back with its index instead of throwing. */
export function textFromSpec(spec: MappingSpec): SpecToTextResult {
  if (spec.rows.length === 0 && (spec.variables ?? []).length === 0) return { ok: true, text: '' };
  try {
    return { ok: true, text: specToJsonata(spec) };
  } catch (err) {
    if (isMappingError(err)) {
      const row = err.details['row'];
      return { ok: false, message: err.message, row: typeof row === 'number' ? row : null };
    }
    return { ok: false, message: err instanceof Error ? err.message : String(err), row: null };
  }
}

/** JSONata → rows, or why the text cannot be shown as rows (then the editor stays in raw mode). */
export function specFromText(text: string): { ok: true; spec: MappingSpec } | { ok: false; reason: string } {
  if (text.trim() === '') return { ok: true, spec: { rows: [] } };
  return jsonataToSpec(text);
}
