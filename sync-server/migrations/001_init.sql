-- 001: the evidence store's first schema. Plain SQL (plus PL/pgSQL, which is built into PostgreSQL and
-- PGlite), so the same file runs on the embedded PGlite and on PostgreSQL 15. The runner
-- (sync-server/src/store/migrate.ts) applies it inside one transaction and records it in
-- schema_migrations; never edit it once released: add 002_*.sql instead (the runner refuses an
-- applied file whose checksum changed).

-- People and kiosk devices. Bearer tokens are stored only as their SHA-256 (hex).
CREATE TABLE principals (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('user', 'device')),
  role text NOT NULL CHECK (role IN ('admin', 'lossPrevention', 'guide', 'device')),
  lane text,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A device speaks for exactly one lane.
  CHECK (kind <> 'device' OR lane IS NOT NULL)
);

-- One-time enrolment codes, stored as hashes. used_at is set once, atomically, when consumed.
CREATE TABLE enrolment_codes (
  code_hash text PRIMARY KEY,
  lane text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Order video records (guide 7.1.6: kept at least 90 days). `record` is the kiosk's sealed record,
-- which only ever carries masked member/payment references; the columns beside it are copies of the
-- fields that queries and retention need, plus the server's own state (hold, resolution, clip).
CREATE TABLE records (
  txn text PRIMARY KEY,
  lane text NOT NULL,
  recorded_at timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  flagged boolean NOT NULL DEFAULT false,
  hold boolean NOT NULL DEFAULT false,
  resolved_at timestamptz,
  -- First arrival of this txn on the server; retention age is measured from here (see docs/storage.md).
  received_at timestamptz NOT NULL,
  clip_sha256 text CHECK (clip_sha256 ~ '^[0-9a-f]{64}$'),
  clip_bytes bigint CHECK (clip_bytes >= 0),
  record jsonb NOT NULL
);

-- Review lists: a lane's orders newest first, and all lanes newest first.
CREATE INDEX records_lane_started_idx ON records (lane, started_at DESC, txn DESC);
CREATE INDEX records_started_idx ON records (started_at DESC, txn DESC);
-- Retention: only deletable rows are indexed, oldest first. The predicate must stay identical to the
-- one in sqlEvidenceStore.ts (expiredRecords) for the planner to use this index.
CREATE INDEX records_retention_idx ON records (received_at, txn)
  WHERE NOT hold AND (NOT flagged OR resolved_at IS NOT NULL);
-- Kept items (held or flagged-unresolved), counted by the retention report.
CREATE INDEX records_kept_idx ON records (received_at)
  WHERE hold OR (flagged AND resolved_at IS NULL);
-- Is a clip file still referenced before its blob is removed?
CREATE INDEX records_clip_idx ON records (clip_sha256) WHERE clip_sha256 IS NOT NULL;

-- Append-only, hash-chained audit log: hash = sha256(prev_hash || canonical JSON of the entry).
CREATE TABLE audit (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_target_idx ON audit (target, seq);

-- Rows may be added, never changed or removed by the application. (TRUNCATE, which restore --force
-- uses, and a superuser can still get around this; the hash chain is what detects that.)
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
