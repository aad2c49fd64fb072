export { createApp } from './app.ts';
export { startProcess, openContext, closeContext } from './processes.ts';
export type { Running } from './processes.ts';
export { loadConfig } from './config.ts';
export type { Config } from './config.ts';
