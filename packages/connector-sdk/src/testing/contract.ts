import { describe, expect, it } from 'vitest';
import type { ResolvedConnection } from '../context.ts';
import type { ActionDefinition, Connector } from '../define.ts';
import { isConnectorError, type ConnectorError } from '../errors.ts';
import { isRouted } from '../context.ts';
import type { JsonValue } from '../json.ts';
import { parseProps, propSpecs, type PropDefs } from '../props.ts';
import type { FakeServer } from './fake-types.ts';
import { createTestServices, runAction, type TestServices } from './services.ts';

type PropsFor = Record<string, unknown> | ((url: string) => Record<string, unknown>);

export interface ContractOptions {
  /** Starts a fresh fake vendor server; one per check, closed afterwards. */
  fakeServer: () => Promise<FakeServer>;
  /** A connection pointing at the fake (its base URL / shop domain / token URL…). */
  connectionFor: (url: string) => ResolvedConnection;
  /**
   * The action the error-mapping checks run. Default: the first host action with `exampleProps`.
   * `props` may depend on the fake's URL (e.g. a URL prop); default the action's `exampleProps`.
   */
  probe?: { action: string; props?: PropsFor; input?: JsonValue };
  /** A listing action whose output must hold every item the fake serves across all its pages. */
  pagination?: { action: string; props?: PropsFor; input?: JsonValue; expectedItems: number; expectedRequests?: number; items?: (output: JsonValue) => unknown[] };
  /**
   * The requests this connector may make; anything else the fake saw fails the check.
   * Without it only requests no fake route matched (`unmatched()`) count as unexpected.
   */
  expectedRequests?: ReadonlyArray<{ method: string; path: string | RegExp }>;
  /** Custom services (e.g. with a sandbox); default `createTestServices()`. */
  services?: () => TestServices;
}

/** The connector as the designer receives it: everything except functions. */
function metadataOf(connector: Connector): unknown {
  return {
    id: connector.id,
    label: connector.label,
    description: connector.description,
    group: connector.group ?? null,
    auth: connector.auth === null ? null : { ...connector.auth, props: propSpecs(connector.auth.props), secrets: propSpecs(connector.auth.secrets) },
    nodeTypes: connector.nodeTypes(),
  };
}

const NODE_TYPE = /^[a-z][a-zA-Z0-9-]*\.[a-zA-Z][a-zA-Z0-9]*$/;

function propsOf(p: PropsFor | undefined, fallback: Record<string, unknown> | undefined, url: string): Record<string, unknown> {
  if (typeof p === 'function') return p(url);
  return p ?? fallback ?? {};
}

async function withFake<T>(options: ContractOptions, fn: (server: FakeServer, services: TestServices) => Promise<T>): Promise<T> {
  const server = await options.fakeServer();
  try {
    const result = await fn(server, options.services ? options.services() : createTestServices());
    const seen = server.requests();
    const unexpected = [
      ...(server.unmatched ? server.unmatched() : []),
      ...(options.expectedRequests
        ? seen.filter((r) => !options.expectedRequests?.some((e) => e.method.toUpperCase() === r.method.toUpperCase() && (typeof e.path === 'string' ? e.path === r.path : e.path.test(r.path))))
        : []),
    ];
    expect(unexpected, 'requests the connector made that the fake did not expect').toEqual([]);
    return result;
  } finally {
    await server.close();
  }
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (err) {
    if (isConnectorError(err)) return err;
    throw new Error(`expected a ConnectorError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the action to fail, but it succeeded');
}

/** One check of the contract suite; `skip` says why it does not apply to this connector. */
export interface ContractCheck {
  name: string;
  run(): Promise<void>;
  skip?: string;
}

/**
 * The contract suite as plain checks (each throws on failure), for running outside `describe`/`it`
 * or testing the suite itself. `connectorContract` registers exactly these as vitest tests.
 */
export function contractChecks(connector: Connector, options: ContractOptions): ContractCheck[] {
  const probe: { action: ActionDefinition<PropDefs>; props?: PropsFor; input?: JsonValue } | undefined = (() => {
    if (options.probe) {
      const action = connector.actions.find((a) => a.name === options.probe?.action);
      if (!action) throw new Error(`contract probe: ${connector.id} has no action "${options.probe.action}"`);
      return { action, ...(options.probe.props ? { props: options.probe.props } : {}), ...(options.probe.input !== undefined ? { input: options.probe.input } : {}) };
    }
    const action = connector.actions.find((a) => (a.runsIn ?? 'host') === 'host' && a.exampleProps !== undefined);
    return action ? { action } : undefined;
  })();

  const runProbe = (server: FakeServer, services: TestServices): Promise<unknown> => {
    if (!probe) throw new Error('no probe action');
    return runAction(probe.action, {
      props: propsOf(probe.props, probe.action.exampleProps, server.url),
      connection: options.connectionFor(server.url),
      services,
      ...(probe.input !== undefined ? { input: probe.input } : {}),
    });
  };

  const checks: ContractCheck[] = [
    {
      name: 'metadata is plain JSON (what the designer receives equals what the connector declares)',
      run: async () => {
        const meta = metadataOf(connector);
        expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
      },
    },
    {
      name: 'node types are well-formed and unique',
      run: async () => {
        const types = connector.nodeTypes().map((n) => n.type);
        expect(new Set(types).size, 'duplicate node types').toBe(types.length);
        for (const n of connector.nodeTypes()) {
          expect(n.type, `${n.type} must look like <connector>.<name>`).toMatch(NODE_TYPE);
          expect(n.type.startsWith(`${connector.id}.`), `${n.type} must start with ${connector.id}.`).toBe(true);
          expect(n.label.trim(), `${n.type} needs a label`).not.toBe('');
          expect(n.description.trim(), `${n.type} needs a description`).not.toBe('');
        }
      },
    },
  ];

  const nodes: Array<{ name: string; props: PropDefs; exampleProps?: Record<string, unknown> }> = [...connector.triggers, ...connector.actions];
  for (const n of nodes) {
    checks.push({
      name: `${n.name} declares exampleProps that parse`,
      run: async () => {
        expect(n.exampleProps, `${connector.id}.${n.name} has no exampleProps`).toBeDefined();
        const r = parseProps(n.props, n.exampleProps ?? {});
        expect(r.ok ? [] : r.issues).toEqual([]);
      },
    });
  }

  if (!probe) {
    checks.push({ name: 'error mapping', skip: 'no host action with exampleProps to probe', run: async () => undefined });
  } else {
    const name = `${connector.id}.${probe.action.name}`;
    checks.push(
      {
        name: `${name} succeeds against the fake and returns JSON`,
        run: () =>
          withFake(options, async (server, services) => {
            const out = await runProbe(server, services);
            const value = isRouted(out) ? out.output : out;
            expect(JSON.parse(JSON.stringify(value ?? null))).toEqual(value ?? null);
          }),
      },
      {
        name: `${name}: HTTP 401 becomes AUTH_INVALID, not retryable`,
        run: () =>
          withFake(options, async (server, services) => {
            server.failNext(401, { times: 10, json: { errors: 'Invalid API key or access token' } });
            const err = await failure(runProbe(server, services));
            expect({ code: err.code, kind: err.kind, retryable: err.retryable }).toEqual({ code: 'AUTH_INVALID', kind: 'user', retryable: false });
          }),
      },
      {
        name: `${name}: HTTP 429 becomes RATE_LIMITED, retryable, with retryAfterMs from Retry-After`,
        run: () =>
          withFake(options, async (server, services) => {
            server.failNext(429, { times: 10, retryAfter: 7, json: { errors: 'Exceeded 2 calls per second' } });
            const err = await failure(runProbe(server, services));
            expect({ code: err.code, retryable: err.retryable, retryAfterMs: err.retryAfterMs }).toEqual({ code: 'RATE_LIMITED', retryable: true, retryAfterMs: 7000 });
          }),
      },
      {
        name: `${name}: HTTP 500 becomes UPSTREAM_UNAVAILABLE, retryable`,
        run: () =>
          withFake(options, async (server, services) => {
            server.failNext(500, { times: 10 });
            const err = await failure(runProbe(server, services));
            expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
          }),
      },
    );
  }

  const pg = options.pagination;
  if (pg) {
    checks.push({
      name: `${connector.id}.${pg.action} follows pagination to the end`,
      run: async () => {
        const action = connector.actions.find((a) => a.name === pg.action);
        if (!action) throw new Error(`contract pagination: ${connector.id} has no action "${pg.action}"`);
        await withFake(options, async (server, services) => {
          const out = await runAction(action, {
            props: propsOf(pg.props, action.exampleProps, server.url),
            connection: options.connectionFor(server.url),
            services,
            ...(pg.input !== undefined ? { input: pg.input } : {}),
          });
          const value = (isRouted(out) ? out.output : out) as JsonValue;
          const items = pg.items ? pg.items(value) : value;
          expect(Array.isArray(items), 'the listing output (or pagination.items(output)) must be an array').toBe(true);
          expect((items as unknown[]).length).toBe(pg.expectedItems);
          if (pg.expectedRequests !== undefined) expect(server.requests().length).toBe(pg.expectedRequests);
        });
      },
    });
  }
  return checks;
}

/**
 * The suite every connector passes (call it at the top level of a test file):
 * metadata is plain JSON, every node has parsing `exampleProps`, 401/429/500 from the vendor become
 * AUTH_INVALID / RATE_LIMITED (retryable, with retryAfterMs) / UPSTREAM_UNAVAILABLE (retryable),
 * pagination is followed to the end, and the connector makes no request the fake did not expect.
 * @example
 * connectorContract(erpConnector, {
 *   fakeServer: () => startFakeErp(),
 *   connectionFor: (url) => ({ id: 'c1', name: 'erp', connector: 'erp', config: { baseUrl: url }, secrets: { token: 't' } }),
 *   pagination: { action: 'listCustomers', expectedItems: 250 },
 * });
 */
export function connectorContract(connector: Connector, options: ContractOptions): void {
  const checks = contractChecks(connector, options);
  describe(`${connector.id} connector contract`, () => {
    for (const c of checks) {
      if (c.skip !== undefined) it.skip(`${c.name} (${c.skip})`, () => undefined);
      else it(c.name, () => c.run());
    }
  });
}
