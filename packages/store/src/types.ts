import type { JsonObject, JsonValue } from './json.ts';

// Ids are plain strings (text columns). The aliases document intent at call sites.
export type FlowId = string;
export type RunId = string;
export type UserId = string;
export type ConnectionId = string;

/** Who did something: a user id or 'system'. */
export type Actor = string;

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

/** An error as recorded on a run or a step. */
export interface StoredError {
  code: string;
  kind: 'user' | 'transient' | 'internal';
  retryable: boolean;
  message: string;
  details?: JsonValue;
}

// ---------- flows ----------

export interface Flow {
  id: FlowId;
  name: string;
  /** The flow document being edited; the store does not interpret it. */
  draft: JsonValue;
  /** Bumped by every draft change; pass it back to `updateDraft` for optimistic concurrency. */
  rev: number;
  enabled: boolean;
  /** The published version production runs use; null until first published. */
  currentVersion: number | null;
  createdAt: Date;
  createdBy: Actor | null;
  updatedAt: Date;
  updatedBy: Actor | null;
  /** Set when the flow was deleted (soft delete); deleted flows are hidden unless asked for. */
  deletedAt: Date | null;
}

export interface CreateFlowInput {
  id?: FlowId;
  name: string;
  draft: JsonValue;
  by?: Actor;
}

export interface UpdateDraftInput {
  id: FlowId;
  /** The rev the caller last read. A stale rev fails with STORE_CONFLICT. */
  rev: number;
  draft: JsonValue;
  name?: string;
  by?: Actor;
}

export interface FlowVersionSummary {
  flowId: FlowId;
  version: number;
  publishedAt: Date;
  publishedBy: Actor | null;
  /** The publisher's name (their e-mail while the name is blank); null when `publishedBy` names no user. */
  publishedByName: string | null;
  note: string | null;
}

export interface FlowVersion extends FlowVersionSummary {
  /** Immutable copy of the draft at publish time. */
  document: JsonValue;
}

export interface PublishInput {
  flowId: FlowId;
  by?: Actor;
  note?: string;
  /** When given, publishing fails with STORE_CONFLICT unless the draft is still at this rev. */
  rev?: number;
}

// ---------- runs ----------

/** `waiting`: stopped at a step that runs again later (its error says why and when, `details.resumeAt`). */
export const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'resolved'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled', 'resolved'];
export const UNFINISHED_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting'];

export interface Run {
  id: RunId;
  flowId: FlowId;
  /** Published version the run executes; null for a run of the draft (test runs). */
  version: number | null;
  status: RunStatus;
  /** The trigger event. */
  trigger: JsonValue;
  triggerKind: string;
  dedupeKey: string | null;
  priority: number;
  attempt: number;
  error: StoredError | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  replayOf: RunId | null;
  replayFromNode: string | null;
  test: boolean;
}

export interface CreateRunInput {
  id?: RunId;
  flowId: FlowId;
  version?: number | null;
  status?: 'queued' | 'running';
  trigger: JsonValue;
  triggerKind: string;
  /** E.g. a webhook delivery id. A second run with the same (flowId, dedupeKey) is not created. */
  dedupeKey?: string | null;
  priority?: number;
  test?: boolean;
  replayOf?: RunId | null;
  replayFromNode?: string | null;
  startedAt?: Date | null;
  /** Defaults to the database's now(); settable for imports and tests. */
  createdAt?: Date;
}

export interface CreateRunResult {
  run: Run;
  /** False when a run with the same (flowId, dedupeKey) already existed; `run` is that run. */
  created: boolean;
}

export interface UpdateRunInput {
  id: RunId;
  status?: RunStatus;
  error?: StoredError | null;
  attempt?: number;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  /** When given, the update only applies if the run is in one of these statuses; else STORE_CONFLICT. */
  expectStatus?: readonly RunStatus[];
}

/**
 * A run created together with what is already known about it, in one transaction: a replay with the
 * upstream steps it reuses (and, for a retried failure, the claim of the failed run), or a run that
 * failed before it could start (a poll that failed).
 */
export interface CreateRunWithStepsInput {
  run: CreateRunInput;
  /** Written on the new run in the same transaction. */
  outcome?: { status: 'succeeded' | 'failed' | 'cancelled'; error?: StoredError | null; attempt?: number; finishedAt: Date };
  /** Step records of the new run; their run is the new one. */
  steps?: readonly Omit<UpsertStepInput, 'runId'>[];
  /**
   * Another run that must be in one of `expectStatus` for anything to be written (STORE_CONFLICT
   * naming its status otherwise), moved to `status` in the same transaction when given. Concurrent
   * claims of one run are serialised: exactly one of them wins.
   */
  claim?: { runId: RunId; expectStatus: readonly RunStatus[]; status?: RunStatus };
}

export interface ListRunsInput {
  flowId?: FlowId;
  status?: readonly RunStatus[];
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
  test?: boolean;
  /** 1..500, default 50. */
  limit?: number;
  cursor?: string | null;
}

export type RunStatusCounts = Record<RunStatus, number>;

export interface RunDuration {
  runId: RunId;
  flowId: FlowId;
  status: RunStatus;
  createdAt: Date;
  finishedAt: Date;
  durationMs: number;
}

export interface RunDurationStats {
  count: number;
  avgMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface RunStatsInput {
  flowId?: FlowId;
  /** created_at >= since */
  since?: Date;
  status?: readonly RunStatus[];
  test?: boolean;
}

export interface PruneRunsInput {
  /** Delete finished runs created more than this many milliseconds ago. */
  olderThanMs?: number;
  /** Keep at most this many newest finished runs per flow; delete the rest. */
  keepPerFlow?: number;
  /** Rows per DELETE statement; default 500. */
  batchSize?: number;
  /** The clock for `olderThanMs`; defaults to now. */
  now?: Date;
}

export interface PruneRunsResult {
  deletedRuns: number;
  batches: number;
}

// ---------- steps ----------

/** `waiting`: the step asked to run again later; its error says why and `details.resumeAt` until when. */
export const STEP_STATUSES = ['running', 'succeeded', 'failed', 'skipped', 'waiting'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface Step {
  runId: RunId;
  nodeId: string;
  attempt: number;
  status: StepStatus;
  /** The recorded input, or null when none was recorded or it was too large (see inputTruncated). */
  input: JsonValue | null;
  /** True when the input exceeded the cap and `input` holds the full value only if read with `full: true`. */
  inputTruncated: boolean;
  /** Start of the JSON text of a truncated input. */
  inputPreview: string | null;
  /** Size of the JSON text of the input in bytes. */
  inputBytes: number | null;
  output: JsonValue | null;
  outputTruncated: boolean;
  outputPreview: string | null;
  outputBytes: number | null;
  error: StoredError | null;
  logs: JsonValue | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  /** Output ports the step fired, in order; null when not recorded (steps written before migration 2). */
  ports: string[] | null;
  /** For a step a replay copied instead of re-running: the run it was copied from. */
  reusedFrom: RunId | null;
  /**
   * Where the input was recorded from instead of copied: '$trigger' (the run's trigger payload) or the
   * node id of the step upstream (its latest attempt). `input` and its size fields are resolved from it.
   */
  inputFrom: string | null;
}

/** `inputFrom` value naming the run's trigger payload. */
export { TRIGGER_INPUT } from '@tributary/flow';

export interface UpsertStepInput {
  runId: RunId;
  nodeId: string;
  attempt: number;
  status: StepStatus;
  // Fields left undefined keep their stored value when the step already exists.
  input?: JsonValue;
  /**
   * Instead of `input`: the input is the run's trigger payload ('$trigger', TRIGGER_INPUT) or the output
   * of the step `inputFrom` (its latest attempt) in the same run, and is stored as that reference.
   * Setting one of `input` / `inputFrom` clears the other.
   */
  inputFrom?: string;
  output?: JsonValue;
  error?: StoredError | null;
  logs?: JsonValue;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  durationMs?: number | null;
  /** Output ports the step fired. null clears them. */
  ports?: readonly string[] | null;
  reusedFrom?: RunId | null;
}

/**
 * One entry of a `writeRunProgress` batch: what one run recorded since its last write. Entries of
 * the same run may appear several times in a batch; they apply in batch order.
 */
export interface RunProgress {
  /** `expectStatus` is not supported here (STORE_INVALID_INPUT); claim runs with `updateRun`. */
  run?: UpdateRunInput;
  steps?: readonly UpsertStepInput[];
}

export interface WriteRunProgressOptions {
  /**
   * Default true. false runs the batch with `SET LOCAL synchronous_commit = off`: COMMIT returns
   * before the WAL is on disk, so a PostgreSQL server crash may lose the most recent batches of step
   * history and run status (at most 3 × wal_writer_delay, never half a batch). Accepted events
   * (`createRun(s)`) are always durable.
   */
  durable?: boolean;
}

export interface StepKey {
  runId: RunId;
  nodeId: string;
  attempt: number;
}

export interface ReadStepOptions {
  /** Fetch truncated inputs and outputs from blob storage. */
  full?: boolean;
}

// ---------- connections ----------

export interface Connection {
  id: ConnectionId;
  name: string;
  connector: string;
  /** Non-secret settings. */
  config: JsonObject;
  /** Encrypted by the server; the store never sees plaintext. */
  secretCiphertext: string | null;
  createdAt: Date;
  createdBy: Actor | null;
  updatedAt: Date;
  updatedBy: Actor | null;
}

export interface CreateConnectionInput {
  id?: ConnectionId;
  name: string;
  connector: string;
  config?: JsonObject;
  secretCiphertext?: string | null;
  by?: Actor;
}

export interface UpdateConnectionInput {
  id: ConnectionId;
  name?: string;
  config?: JsonObject;
  secretCiphertext?: string | null;
  by?: Actor;
}

// ---------- users, sessions, tokens ----------

export const USER_ROLES = ['admin', 'analyst', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  id: UserId;
  /** As entered; uniqueness and lookup are case-insensitive. */
  email: string;
  name: string;
  role: UserRole;
  passwordHash: string | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateUserInput {
  id?: UserId;
  email: string;
  name?: string;
  role: UserRole;
  passwordHash?: string | null;
  disabled?: boolean;
}

export interface UpdateUserInput {
  id: UserId;
  email?: string;
  name?: string;
  role?: UserRole;
  passwordHash?: string | null;
  disabled?: boolean;
  /**
   * Refuse (STORE_CONFLICT, `details.rule: 'last-admin'`) a change that would leave no active admin.
   * Checked in the same transaction as the change, with the active admins' rows locked, so concurrent
   * demotions or disablings — from any number of processes — cannot together remove every admin.
   */
  keepAnActiveAdmin?: boolean;
}

export interface Session {
  /** A hash of the cookie value, never the value itself. */
  id: string;
  userId: UserId;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  ip: string | null;
  userAgent: string | null;
}

export interface CreateSessionInput {
  id: string;
  userId: UserId;
  expiresAt: Date;
  ip?: string | null;
  userAgent?: string | null;
}

export interface ApiToken {
  id: string;
  userId: UserId;
  name: string;
  tokenHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreateApiTokenInput {
  id?: string;
  userId: UserId;
  name: string;
  tokenHash: string;
}

// ---------- audit ----------

export interface AuditEntry {
  id: string;
  at: Date;
  actor: Actor;
  /** The actor's name (their e-mail while the name is blank); null when `actor` names no user ('system', 'cli', 'anonymous', a user that is gone). */
  actorName: string | null;
  /** The actor's e-mail; null when `actor` names no user. */
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: JsonValue | null;
  ip: string | null;
}

export interface AppendAuditInput {
  actor: Actor;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: JsonValue | null;
  ip?: string | null;
  at?: Date;
}

export interface ListAuditInput {
  actor?: Actor;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  cursor?: string | null;
}

// ---------- xref ----------

export interface XrefLink {
  entity: string;
  linkId: string;
  /** system -> that system's id for this entity. */
  ids: Record<string, string>;
}

export interface XrefLinkInput {
  entity: string;
  ids: Record<string, string>;
}

export interface XrefLookupInput {
  entity: string;
  system: string;
  id: string;
  targetSystem: string;
}

export interface XrefKey {
  entity: string;
  system: string;
  id: string;
}

// ---------- state & settings ----------

export interface FlowStateEntry {
  flowId: FlowId;
  key: string;
  value: JsonValue;
  updatedAt: Date;
}

export interface SettingEntry {
  key: string;
  value: JsonValue;
  updatedAt: Date;
  updatedBy: Actor | null;
}

export interface StoreInfo {
  driver: 'pglite' | 'postgres';
  /** Highest applied migration. */
  schemaVersion: number;
  /** Location without credentials: data directory, 'memory://', or host/database. */
  location: string;
  schema: string;
}
