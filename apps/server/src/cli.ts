// Placeholder until the runtime lands: `tributary start` serves /healthz and the designer build.
import express from 'express';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const designerDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../designer/dist');
const app = express();
app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
app.use(express.static(designerDist));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () => { console.log(`Tributary listening on http://${host}:${port}`); });
const stop = () => { server.close(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
