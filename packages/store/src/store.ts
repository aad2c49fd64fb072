import type { JsonValue } from './json.ts';
import type {
  Actor,
  ApiToken,
  AppendAuditInput,
  AuditEntry,
  Connection,
  ConnectionId,
  CreateApiTokenInput,
  CreateConnectionInput,
  CreateFlowInput,
  CreateRunInput,
  CreateRunResult,
  CreateRunWithStepsInput,
  CreateSessionInput,
  CreateUserInput,
  Flow,
  FlowId,
  FlowStateEntry,
  FlowVersion,
  FlowVersionSummary,
  ListAuditInput,
  ListRunsInput,
  Page,
  PruneRunsInput,
  PruneRunsResult,
  PublishInput,
  ReadStepOptions,
  Run,
  RunProgress,
  RunDuration,
  RunDurationStats,
  RunId,
  RunStatsInput,
  RunStatusCounts,
  Session,
  SettingEntry,
  Step,
  StepKey,
  StoreInfo,
  UpdateConnectionInput,
  UpdateDraftInput,
  UpdateRunInput,
  UpdateUserInput,
  UpsertStepInput,
  User,
  UserId,
  WriteRunProgressOptions,
  XrefKey,
  XrefLink,
  XrefLinkInput,
  XrefLookupInput,
} from './types.ts';

/**
 * Everything Tributary persists. One interface, two drivers (PGlite, PostgreSQL), one SQL schema.
 * Methods that look a single row up return null when it does not exist; methods that change a
 * row that does not exist throw StoreError STORE_NOT_FOUND.
 */
export interface FlowMethods {
  /** Live flows ordered by name; deleted ones only with `includeDeleted`. */
  listFlows(options?: { includeDeleted?: boolean }): Promise<Flow[]>;
  getFlow(id: FlowId, options?: { includeDeleted?: boolean }): Promise<Flow | null>;
  createFlow(input: CreateFlowInput): Promise<Flow>;
  /** Replaces the draft if `rev` is current (STORE_CONFLICT otherwise) and bumps rev. */
  updateDraft(input: UpdateDraftInput): Promise<Flow>;
  /** Soft delete: hides the flow and disables it; versions, runs and audit keep pointing at it. */
  deleteFlow(id: FlowId, by?: Actor): Promise<void>;
  /** Enabling needs a published version (STORE_CONFLICT otherwise). */
  setEnabled(input: { id: FlowId; enabled: boolean; by?: Actor }): Promise<Flow>;
  /** Copies the draft into the next immutable version and makes it current, atomically. */
  publish(input: PublishInput): Promise<FlowVersion>;
  /** Newest first, without documents. */
  listVersions(flowId: FlowId): Promise<FlowVersionSummary[]>;
  getVersion(flowId: FlowId, version: number): Promise<FlowVersion | null>;
}

export interface RunMethods {
  /** Inserts a run, or returns the existing one for the same (flowId, dedupeKey) with created: false. */
  createRun(input: CreateRunInput): Promise<CreateRunResult>;
  getRun(id: RunId): Promise<Run | null>;
  /**
   * The run, its outcome, its steps and the claim of another run, all or nothing. A (flowId, dedupeKey)
   * that exists already writes nothing and returns that run with created: false.
   */
  createRunWithSteps(input: CreateRunWithStepsInput): Promise<CreateRunResult>;
  updateRun(input: UpdateRunInput): Promise<Run>;
  /** Newest first, keyset-paginated. */
  listRuns(input?: ListRunsInput): Promise<Page<Run>>;
  /** Runs queued, running or waiting, oldest first: what a restarted runtime must pick up again. */
  unfinishedRuns(options?: { limit?: number }): Promise<Run[]>;
  countRunsByStatus(input?: RunStatsInput): Promise<RunStatusCounts>;
  /** Finished runs (finished_at set) with their wall time, oldest first; at most `limit` (default 1000). */
  runDurations(input?: RunStatsInput & { limit?: number }): Promise<RunDuration[]>;
  /** Wall-time percentiles (created -> finished) computed in SQL. */
  runDurationStats(input?: RunStatsInput): Promise<RunDurationStats>;
  /** Deletes finished runs with their steps and blobs, a batch per statement. Never touches unfinished (queued, running, waiting) runs. */
  pruneRuns(input: PruneRunsInput): Promise<PruneRunsResult>;
}

/**
 * Group-commit writes for the runtime: many concurrent webhooks or runs in one transaction, a few
 * multi-row statements, one commit (one WAL flush) instead of one per row.
 */
export interface BatchMethods {
  /**
   * `createRun` for many inputs at once, atomically (all or none are created). Results come in
   * input order. Dedupe as in `createRun`; inputs of one batch sharing (flowId, dedupeKey) get the
   * first one's run, the later ones with created: false. Always durable.
   */
  createRuns(inputs: readonly CreateRunInput[]): Promise<CreateRunResult[]>;
  /**
   * Every step upsert and run update of the batch in one transaction: all are written or none
   * (a step of a run that does not exist, or an update of one, fails the whole batch with
   * STORE_NOT_FOUND). Applies in batch order, as the same `upsertStep`/`updateRun` calls would;
   * large payloads still go to blobs. `expectStatus` is refused (STORE_INVALID_INPUT). A cancelled
   * run is final: its run update is skipped (its steps are still written, as the record of what ran).
   */
  writeRunProgress(batch: readonly RunProgress[], options?: WriteRunProgressOptions): Promise<void>;
}

export interface StepMethods {
  /** Inserts or updates the step (runId, nodeId, attempt). Large inputs/outputs go to blob storage. */
  upsertStep(input: UpsertStepInput): Promise<Step>;
  getStep(key: StepKey, options?: ReadStepOptions): Promise<Step | null>;
  /** In execution order (started_at, then node id and attempt). */
  listSteps(runId: RunId, options?: ReadStepOptions): Promise<Step[]>;
}

export interface ConnectionMethods {
  listConnections(options?: { connector?: string }): Promise<Connection[]>;
  getConnection(id: ConnectionId): Promise<Connection | null>;
  getConnectionByName(name: string): Promise<Connection | null>;
  createConnection(input: CreateConnectionInput): Promise<Connection>;
  updateConnection(input: UpdateConnectionInput): Promise<Connection>;
  deleteConnection(id: ConnectionId): Promise<void>;
}

export interface AuthMethods {
  createUser(input: CreateUserInput): Promise<User>;
  getUser(id: UserId): Promise<User | null>;
  /** Case-insensitive. */
  getUserByEmail(email: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  updateUser(input: UpdateUserInput): Promise<User>;
  countUsers(options?: { role?: User['role']; includeDisabled?: boolean }): Promise<number>;

  createSession(input: CreateSessionInput): Promise<Session>;
  getSession(id: string): Promise<Session | null>;
  touchSession(id: string, at?: Date): Promise<void>;
  revokeSession(id: string): Promise<void>;
  /** Revokes every live session of the user; returns how many. */
  revokeUserSessions(userId: UserId): Promise<number>;
  /** Deletes sessions that expired before `before`; returns how many. */
  deleteExpiredSessions(before: Date): Promise<number>;

  createApiToken(input: CreateApiTokenInput): Promise<ApiToken>;
  getApiTokenByHash(tokenHash: string): Promise<ApiToken | null>;
  listApiTokens(userId: UserId): Promise<ApiToken[]>;
  touchApiToken(id: string, at?: Date): Promise<void>;
  revokeApiToken(id: string): Promise<void>;
}

export interface AuditMethods {
  appendAudit(input: AppendAuditInput): Promise<AuditEntry>;
  /** Newest first, keyset-paginated. */
  listAudit(input?: ListAuditInput): Promise<Page<AuditEntry>>;
}

export interface XrefMethods {
  /** Links the given ids of one entity; merges links that already exist (STORE_CONFLICT if that would give one system two ids). */
  xrefLink(input: XrefLinkInput): Promise<XrefLink>;
  xrefLookup(input: XrefLookupInput): Promise<string | null>;
  xrefGet(entity: string, system: string, id: string): Promise<XrefLink | null>;
  /** Removes one id from its link; returns whether it existed. */
  xrefUnlink(key: XrefKey): Promise<boolean>;
}

export interface StateMethods {
  /** Per-flow state such as polling watermarks. */
  getState(flowId: FlowId, key: string): Promise<FlowStateEntry | null>;
  setState(input: { flowId: FlowId; key: string; value: JsonValue }): Promise<FlowStateEntry>;
  listState(flowId: FlowId): Promise<FlowStateEntry[]>;
  /** Deletes one key, or every key of the flow; returns how many. */
  resetState(flowId: FlowId, key?: string): Promise<number>;

  getSetting(key: string): Promise<SettingEntry | null>;
  setSetting(input: { key: string; value: JsonValue; by?: Actor }): Promise<SettingEntry>;
  listSettings(): Promise<SettingEntry[]>;
}

export interface LifecycleMethods {
  /** Applies pending migrations; returns the ids applied (empty when up to date). `openStore` already did this. */
  migrate(): Promise<number[]>;
  info(): Promise<StoreInfo>;
  /** Readiness: throws STORE_UNAVAILABLE when the database does not answer. */
  ping(): Promise<void>;
  /** Idempotent. Later calls fail with STORE_CLOSED. */
  close(): Promise<void>;
}

export interface Store
  extends FlowMethods,
    RunMethods,
    StepMethods,
    BatchMethods,
    ConnectionMethods,
    AuthMethods,
    AuditMethods,
    XrefMethods,
    StateMethods,
    LifecycleMethods {}
