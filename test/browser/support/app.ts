// The real Tributary (embedded: PGlite, in-process queue and worker) serving a designer build made
// from the current sources, for browser tests, the screenshot script and the designer benchmark.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureFirstAdmin } from '../../../apps/server/src/api/index.ts';
import { createApp } from '../../../apps/server/src/app.ts';
import { startTestServer, type TestServer } from '../../support/tributary.ts';
import { ensureDesignerBuild } from './designer-build.ts';

export const ADMIN = { email: 'admin@northwind.example', password: 'admin-password-1' } as const;

export type Role = 'admin' | 'analyst' | 'viewer';

export interface DesignerApp {
  /** Origin serving the designer, /api/v1 and /hooks. */
  url: string;
  server: TestServer;
  /** JSON API call signed in as the first admin (cookie + CSRF header handled). */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Creates a user with a role through the API; returns its credentials. */
  createUser(role: Role, email?: string): Promise<{ email: string; password: string }>;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/**
 * Starts the server with its worker, mounting the designer build for the current sources (built
 * first when needed) or `opts.designerDir`, and signs a node-side API client in as the first admin.
 */
export async function startDesignerApp(env: Record<string, string> = {}, opts: { designerDir?: string } = {}): Promise<DesignerApp> {
  // A given build (e.g. an older one for a before/after benchmark), else one of the current sources.
  const designerDir = opts.designerDir ?? (await ensureDesignerBuild());
  // http: false — the HTTP side is mounted here, so it can serve this build instead of apps/designer/dist.
  const server = await startTestServer({ TRIBUTARY_ADMIN_EMAIL: ADMIN.email, TRIBUTARY_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn', ...env }, { http: false });
  let http: Server | null = null;
  try {
    await ensureFirstAdmin(server.ctx);
    http = createServer(createApp(server.ctx, { designerDir }));
    const url = await listen(http);
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    if (!login.ok) throw new Error(`admin sign-in failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const api: DesignerApp['api'] = async (method, path, body) => {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    };
    let users = 0;
    const running = http;
    return {
      url,
      server,
      api,
      async createUser(role, email) {
        const creds = { email: email ?? `${role}${++users}@northwind.example`, password: `${role}-password-1` };
        const res = await api('POST', '/users', { ...creds, name: `${role[0]?.toUpperCase()}${role.slice(1)} User`, role });
        if (res.status !== 201 && res.status !== 200) throw new Error(`creating a ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
        return creds;
      },
      async stop() {
        await new Promise<void>((resolve) => {
          running.close(() => resolve());
          running.closeAllConnections();
        });
        await server.stop();
      },
    };
  } catch (err) {
    http?.close();
    await server.stop();
    throw err;
  }
}
