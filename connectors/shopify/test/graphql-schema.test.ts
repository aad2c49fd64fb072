import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, NoDeprecatedCustomRule, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadShopifyAdminSchema } from '../../../test/fakes/shopify/schema.ts';

const srcDir = path.resolve(import.meta.dirname, '../src');
const graphqlDir = path.join(srcDir, 'graphql');

/** Every exported string constant of every module in src/graphql, by `<file>:<export>`. */
async function collectDocuments(): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const file of readdirSync(graphqlDir).filter((f) => f.endsWith('.ts')).sort()) {
    const mod = (await import(path.join(graphqlDir, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) if (typeof value === 'string') out.push([`${file}:${name}`, value]);
  }
  return out;
}

/**
 * Deprecated fields the connector must still use: in 2025-01 `Customer.email` is deprecated in favour of
 * `defaultEmailAddress`, which only arrives in a later version. Each entry names its replacement; the test below
 * fails once the pinned schema has it, so the exception ends with the version bump.
 */
const ALLOWED_DEPRECATED: Record<string, { replacement: [type: string, field: string] }> = {
  'Customer.email': { replacement: ['Customer', 'defaultEmailAddress'] },
};

const documents = await collectDocuments();
const operations = documents.filter(([, doc]) => parse(doc).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION));

describe('every GraphQL document the connector sends is valid for the official Admin API 2025-01 schema', () => {
  const schema = loadShopifyAdminSchema();

  it('finds the documents (a broken collector would make this suite pass vacuously)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it.each(operations)('%s validates without errors or deprecated fields', (_name, doc) => {
    const errors = validate(schema, parse(doc), [...specifiedRules, NoDeprecatedCustomRule])
      .map((e) => e.message)
      .filter((m) => !Object.keys(ALLOWED_DEPRECATED).some((f) => m.startsWith(`The field ${f} is deprecated.`)));
    expect(errors).toEqual([]);
  });

  it.each(Object.entries(ALLOWED_DEPRECATED))('the deprecated %s is allowed only while its replacement is missing from the schema', (_field, { replacement: [type, field] }) => {
    const t = schema.getType(type);
    expect(t && 'getFields' in t ? Object.keys(t.getFields()) : []).not.toContain(field);
  });

  it('rejects a document with a field the schema does not have (the check has teeth)', () => {
    const errors = validate(schema, parse('query { order(id: "gid://shopify/Order/1") { id fulfillmentStatusV9 } }'));
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/fulfillmentStatusV9/)]);
  });

  it('keeps every document in src/graphql: no other source file embeds a query or mutation', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (p !== graphqlDir) walk(p);
        } else if (entry.name.endsWith('.ts') && /`\s*(query|mutation)\b[^`]*\{/.test(readFileSync(p, 'utf8'))) offenders.push(path.relative(srcDir, p));
      }
    };
    walk(srcDir);
    expect(offenders).toEqual([]);
  });
});
