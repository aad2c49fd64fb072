import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-step-ports.ts';
import { migration0003 } from './0003-step-input-from.ts';
import { migration0004 } from './0004-run-data-json.ts';
import { migration0005 } from './0005-flow-state-json.ts';
import { migration0006 } from './0006-step-waiting.ts';
import { migration0007 } from './0007-run-waiting.ts';

export interface Migration {
  /** Strictly increasing; the number in the file name. */
  id: number;
  name: string;
  /** Plain SQL, run in the same transaction as the other pending migrations. */
  sql: string;
}

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007];
