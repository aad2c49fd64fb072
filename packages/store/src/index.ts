export { openStore, DEFAULT_DATA_DIR, DEFAULT_PAYLOAD_CAP_BYTES, MEMORY } from './open.ts';
export type { OpenStoreOptions } from './open.ts';
export type {
  Store,
  FlowMethods,
  RunMethods,
  StepMethods,
  BatchMethods,
  ConnectionMethods,
  AuthMethods,
  AuditMethods,
  XrefMethods,
  StateMethods,
  LifecycleMethods,
} from './store.ts';
export { StoreError, isStoreError, toStoreError } from './errors.ts';
export type { StoreErrorCode, StoreErrorKind, StoreErrorDetails, StoreErrorOptions } from './errors.ts';
export type { JsonValue, JsonObject } from './json.ts';
export { newId } from './ids.ts';
export { MIGRATIONS } from './migrations/index.ts';
export type { Migration } from './migrations/index.ts';
export { RUN_STATUSES, FINISHED_RUN_STATUSES, UNFINISHED_RUN_STATUSES, STEP_STATUSES, USER_ROLES, TRIGGER_INPUT } from './types.ts';
export type * from './types.ts';
