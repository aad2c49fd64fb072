import { z } from 'zod';
import { parseProps, type Connector } from '@tributary/connector-sdk';
import type { JsonObject } from '@tributary/store';
import { HttpError } from '../http/errors.ts';
import type { Api } from './deps.ts';
import { connectionJson } from './present.ts';
import type { ApiRoutes, ValidationDetail } from './route.ts';
import { validationError } from './route.ts';
import { connectionOut, idSchema, listOf } from './schemas.ts';
import { connectionsChanged, isStoreCode } from './util.ts';

const nameSchema = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'use letters, digits, spaces, _, . and - (flows refer to connections by this name)');
const secretsSchema = z.record(z.string().min(1).max(100), z.string().max(20_000).nullable()).describe('write-only; a null value removes that secret');
const configSchema = z.record(z.string().min(1).max(100), z.unknown());

function connectorOr400(api: Api, id: string): Connector {
  const c = api.registry.connector(id);
  if (!c) {
    const known = api.registry.connectors().map((x) => x.id).join(', ');
    throw validationError([{ path: 'body.connector', message: `unknown connector "${id}"; installed: ${known}` }]);
  }
  return c;
}

/** Checks config against the connector's auth props and secret names against its secret fields. */
function checkFields(connector: Connector, config: Record<string, unknown> | undefined, secrets: Record<string, string | null> | undefined, opts: { requireSecrets: Record<string, string> | null }): void {
  const details: ValidationDetail[] = [];
  const auth = connector.auth;
  if (config !== undefined) {
    const parsed = parseProps(auth?.props ?? {}, config);
    if (!parsed.ok) for (const i of parsed.issues) details.push({ path: `body.config.${i.path}`, message: i.message });
    for (const key of Object.keys(config)) if (auth?.secrets[key]) details.push({ path: `body.config.${key}`, message: `"${key}" is a secret: send it in secrets, not config` });
  }
  const allowed = Object.keys(auth?.secrets ?? {});
  for (const key of Object.keys(secrets ?? {})) {
    if (!allowed.includes(key)) details.push({ path: `body.secrets.${key}`, message: allowed.length ? `not a secret field of ${connector.id}; it takes: ${allowed.join(', ')}` : `${connector.id} connections take no secrets` });
  }
  if (opts.requireSecrets) {
    const merged = opts.requireSecrets;
    const parsed = parseProps(auth?.secrets ?? {}, merged);
    if (!parsed.ok) for (const i of parsed.issues) details.push({ path: `body.secrets.${i.path}`, message: i.message });
  }
  if (details.length) throw validationError(details);
}

function mergeSecrets(current: Record<string, string>, change: Record<string, string | null> | undefined): Record<string, string> {
  const out = { ...current };
  for (const [k, v] of Object.entries(change ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * Connections: named credentials for a connector. Secrets are encrypted with the server's key before
 * they reach the store and are never returned — responses list only the secret field names.
 */
export function connectionRoutes(r: ApiRoutes, api: Api): void {
  const { store, secrets: box } = api;

  r.route({ method: 'get', path: '/connections', auth: 'viewer', summary: 'List connections (secret values are never returned)', query: z.object({ connector: z.string().min(1).max(100).optional() }), response: listOf(connectionOut) }, async ({ query }) => ({
    items: (await store.listConnections(query.connector ? { connector: query.connector } : {})).map((c) => connectionJson(c, api.registry)),
  }));

  r.route({ method: 'get', path: '/connections/:id', auth: 'viewer', summary: 'One connection (secret values are never returned)', params: z.object({ id: idSchema }), response: connectionOut, errors: [404] }, async ({ params }) => {
    const c = await store.getConnection(params.id);
    if (!c) throw new HttpError('CONNECTION_NOT_FOUND', `no connection ${params.id}`);
    return connectionJson(c, api.registry);
  });

  r.route(
    {
      method: 'post',
      path: '/connections',
      auth: 'admin',
      summary: 'Create a connection; `secrets` are encrypted at rest and write-only',
      body: z.object({ name: nameSchema, connector: z.string().min(1).max(100), config: configSchema.default({}), secrets: secretsSchema.optional() }).strict(),
      response: connectionOut,
      status: 201,
      errors: [409],
    },
    async ({ body, principal, req }) => {
      const connector = connectorOr400(api, body.connector);
      const plain = mergeSecrets({}, body.secrets);
      checkFields(connector, body.config, body.secrets, { requireSecrets: plain });
      try {
        const c = await store.createConnection({
          name: body.name,
          connector: connector.id,
          config: body.config as JsonObject,
          secretCiphertext: Object.keys(plain).length ? box.encrypt(plain) : null,
          by: principal.user.id,
        });
        await connectionsChanged(api);
        await api.audit({ req, actor: principal, action: 'connection.create', targetType: 'connection', targetId: c.id, details: { name: c.name, connector: c.connector, secretFields: Object.keys(plain) } });
        return connectionJson(c, api.registry);
      } catch (err) {
        if (isStoreCode(err, 'STORE_DUPLICATE')) throw new HttpError('CONFLICT', `a connection named "${body.name}" already exists`, { path: 'body.name' });
        throw err;
      }
    },
  );

  r.route(
    {
      method: 'put',
      path: '/connections/:id',
      auth: 'admin',
      summary: 'Change a connection; secrets given replace those stored (null removes one), secrets left out stay',
      params: z.object({ id: idSchema }),
      body: z.object({ name: nameSchema.optional(), connector: z.string().optional(), config: configSchema.optional(), secrets: secretsSchema.optional() }).strict(),
      response: connectionOut,
      errors: [404, 409],
    },
    async ({ params, body, principal, req }) => {
      const current = await store.getConnection(params.id);
      if (!current) throw new HttpError('CONNECTION_NOT_FOUND', `no connection ${params.id}`);
      if (body.connector !== undefined && body.connector !== current.connector) {
        throw validationError([{ path: 'body.connector', message: `a connection's connector cannot change (it is ${current.connector}); create a new connection` }]);
      }
      const connector = connectorOr400(api, current.connector);
      let ciphertext: string | null | undefined = undefined;
      if (body.secrets !== undefined) {
        const plain = mergeSecrets(current.secretCiphertext ? box.decrypt(current.secretCiphertext) : {}, body.secrets);
        checkFields(connector, body.config, body.secrets, { requireSecrets: plain });
        ciphertext = Object.keys(plain).length ? box.encrypt(plain) : null;
      } else {
        checkFields(connector, body.config, undefined, { requireSecrets: null });
      }
      try {
        const c = await store.updateConnection({
          id: current.id,
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.config !== undefined ? { config: body.config as JsonObject } : {}),
          ...(ciphertext !== undefined ? { secretCiphertext: ciphertext } : {}),
          by: principal.user.id,
        });
        await connectionsChanged(api);
        await api.audit({
          req,
          actor: principal,
          action: 'connection.update',
          targetType: 'connection',
          targetId: c.id,
          details: { name: c.name, changed: Object.keys(body).filter((k) => k !== 'secrets'), secretsChanged: Object.keys(body.secrets ?? {}) },
        });
        return connectionJson(c, api.registry);
      } catch (err) {
        if (isStoreCode(err, 'STORE_DUPLICATE')) throw new HttpError('CONFLICT', `a connection named "${body.name ?? ''}" already exists`, { path: 'body.name' });
        throw err;
      }
    },
  );

  r.route({ method: 'delete', path: '/connections/:id', auth: 'admin', summary: 'Delete a connection (flows naming it fail until it is recreated)', params: z.object({ id: idSchema }), errors: [404] }, async ({ params, principal, req }) => {
    const c = await store.getConnection(params.id);
    if (!c) throw new HttpError('CONNECTION_NOT_FOUND', `no connection ${params.id}`);
    await store.deleteConnection(c.id);
    await connectionsChanged(api);
    await api.audit({ req, actor: principal, action: 'connection.delete', targetType: 'connection', targetId: c.id, details: { name: c.name, connector: c.connector } });
    return undefined;
  });

}
