import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { mountApi } from './api/index.ts';
import type { AppContext } from './context.ts';
import { errorBody, errorMiddleware, notFoundJson } from './http/errors.ts';
import { webhookRouter } from './http/webhooks.ts';
import { secretKeyProblem } from './secrets.ts';

export const DESIGNER_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../designer/dist');

/** The HTTP surface: webhooks, REST API, health, metrics and the designer, from one origin. */
export function createApp(ctx: AppContext, opts: { designerDir?: string } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // React Flow and CodeMirror set element styles at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      // The designer and the API share one origin; nothing is embedded cross-origin.
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    let ok = true;
    try {
      await ctx.store.ping();
      checks['store'] = 'ok';
    } catch (err) {
      ok = false;
      checks['store'] = (err as Error).message;
    }
    try {
      await ctx.queue.depth();
      checks['queue'] = 'ok';
    } catch (err) {
      ok = false;
      checks['queue'] = (err as Error).message;
    }
    // A process started with the right key can lose it: `secrets rotate` run with a new key while it
    // runs. Every signed webhook and connector step of those connections would then fail.
    if (checks['store'] === 'ok') {
      const problem = await secretKeyProblem(ctx).catch((err: unknown) => (err as Error).message);
      if (problem !== null) ok = false;
      checks['secrets'] = problem ?? 'ok';
    }
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', checks });
  });
  app.get('/metrics', async (_req, res) => {
    try {
      const depth = await ctx.queue.depth();
      for (const [state, n] of Object.entries(depth)) ctx.metrics.queueDepth.set({ state }, n);
    } catch {
      // queue unreachable: /readyz says so; metrics still answer
    }
    res.setHeader('content-type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });

  app.use(webhookRouter({ runtime: ctx.runtime, registry: ctx.registry, metrics: ctx.metrics }));
  mountApi(app, ctx);
  app.use('/api', notFoundJson);
  app.use('/hooks', notFoundJson);

  const designer = opts.designerDir ?? DESIGNER_DIST;
  if (existsSync(path.join(designer, 'index.html'))) {
    app.use(express.static(designer, { index: false, maxAge: '1h', setHeaders: (res, file) => { if (file.endsWith('index.html')) res.setHeader('cache-control', 'no-cache'); } }));
    // The designer routes in the browser: any other GET gets its page.
    app.get(/^\/(?!api\/|hooks\/|metrics$|healthz$|readyz$).*/, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      // With `root`, only the part below it is checked for dot-directories: a checkout under
      // ~/.local/… (or a build under .cache/) must still serve its designer.
      res.sendFile('index.html', { root: designer });
    });
  } else {
    app.get('/', (_req, res) => {
      res.status(503).json(errorBody('UNAVAILABLE', 'the designer is not built; run `npm start`, which builds it'));
    });
  }
  app.use(notFoundJson);
  app.use(errorMiddleware(ctx.log));
  return app;
}
