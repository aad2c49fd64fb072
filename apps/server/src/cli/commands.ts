import { flowsDisable, flowsEnable, flowsExport, flowsImport, flowsPublish } from './flows.ts';
import { runsCancel, runsList, runsReplay } from './runs.ts';
import { secretsRotate } from './secrets.ts';
import type { AdminCommand } from './shared.ts';
import { usersCreate } from './users.ts';

export type { AdminCommand } from './shared.ts';

/** Admin commands by name; `tributary <group> <verb>` dispatches here (see cli.ts). */
export const adminCommands: Record<string, AdminCommand> = {
  'flows export': flowsExport,
  'flows import': flowsImport,
  'flows publish': flowsPublish,
  'flows enable': flowsEnable,
  'flows disable': flowsDisable,
  'runs list': runsList,
  'runs replay': runsReplay,
  'runs cancel': runsCancel,
  'users create': usersCreate,
  'secrets rotate': secretsRotate,
};
