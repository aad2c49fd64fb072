import type { Migration } from './index.ts';

/**
 * The initial schema. Never edit a migration that has shipped; add the next number instead.
 * Notes on choices:
 * - runs.flow_id has no foreign key: flows are only soft-deleted, and a FK would take a share
 *   lock on the flow row for every run insert (multixact churn at ~1000 runs/s on one flow).
 * - steps and blobs cascade from runs, so pruning a run removes everything recorded for it.
 * - the dedupe index is partial: runs without a dedupe key never conflict.
 */
export const migration0001: Migration = {
  id: 1,
  name: 'initial',
  sql: `
CREATE TABLE flows (
  id text PRIMARY KEY,
  name text NOT NULL,
  draft jsonb NOT NULL,
  rev integer NOT NULL DEFAULT 1,
  enabled boolean NOT NULL DEFAULT false,
  current_version integer,
  last_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text,
  deleted_at timestamptz,
  deleted_by text,
  CONSTRAINT flows_enabled_needs_version CHECK (NOT enabled OR current_version IS NOT NULL)
);
CREATE INDEX flows_live_name ON flows (name) WHERE deleted_at IS NULL;

CREATE TABLE flow_versions (
  flow_id text NOT NULL REFERENCES flows (id),
  version integer NOT NULL CHECK (version > 0),
  document jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  published_by text,
  note text,
  PRIMARY KEY (flow_id, version)
);

CREATE TABLE runs (
  id text PRIMARY KEY,
  flow_id text NOT NULL,
  version integer,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'resolved')),
  trigger jsonb NOT NULL,
  trigger_kind text NOT NULL,
  dedupe_key text,
  priority integer NOT NULL DEFAULT 0,
  attempt integer NOT NULL DEFAULT 0,
  error jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  replay_of text,
  replay_from_node text,
  test boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX runs_flow_dedupe ON runs (flow_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX runs_created ON runs (created_at DESC, id DESC);
CREATE INDEX runs_flow_created ON runs (flow_id, created_at DESC, id DESC);
CREATE INDEX runs_status_created ON runs (status, created_at DESC, id DESC);

CREATE TABLE steps (
  run_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  node_id text NOT NULL,
  attempt integer NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
  input jsonb,
  input_preview text,
  input_bytes integer,
  input_blob_id text,
  output jsonb,
  output_preview text,
  output_bytes integer,
  output_blob_id text,
  error jsonb,
  logs jsonb,
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms integer,
  PRIMARY KEY (run_id, node_id, attempt)
);

CREATE TABLE blobs (
  id text PRIMARY KEY,
  run_id text NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  bytes integer NOT NULL,
  content jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blobs_run ON blobs (run_id);

CREATE TABLE connections (
  id text PRIMARY KEY,
  name text NOT NULL CONSTRAINT connections_name_key UNIQUE,
  connector text NOT NULL,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret_ciphertext text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL DEFAULT '',
  role text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
  password_hash text,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit (
  id text PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target_type text,
  target_id text,
  details jsonb,
  ip text
);
CREATE INDEX audit_at ON audit (at DESC, id DESC);
CREATE INDEX audit_target ON audit (target_type, target_id, at DESC, id DESC);
CREATE INDEX audit_actor ON audit (actor, at DESC, id DESC);

CREATE TABLE xref (
  entity text NOT NULL,
  system text NOT NULL,
  external_id text NOT NULL,
  link_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity, system, external_id),
  CONSTRAINT xref_one_id_per_system UNIQUE (entity, link_id, system)
);

CREATE TABLE flow_state (
  flow_id text NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flow_id, key)
);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
`,
};
