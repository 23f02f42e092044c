-- The journal: every write hsadmin sends, recorded before it is sent. It is
-- never deleted or rebuilt by hsadmin.

CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,     -- e.g. "reassign", "team-change"
    created_at INTEGER NOT NULL,  -- unix ms
    state      TEXT NOT NULL,     -- planned, running, done, failed, cancelled
    summary    TEXT NOT NULL,
    plan       TEXT NOT NULL      -- JSON, as the planner wrote it
);

CREATE TABLE job_items (
    job_id     INTEGER NOT NULL REFERENCES jobs (id),
    seq        INTEGER NOT NULL,
    subject_id TEXT NOT NULL,     -- the record the item changes
    before     TEXT NOT NULL,     -- JSON: the state read before the write
    after      TEXT NOT NULL,     -- JSON: the state the write asks for
    state      TEXT NOT NULL,     -- pending, sent, done, failed, skipped
    error      TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX job_items_state ON job_items (job_id, state);
