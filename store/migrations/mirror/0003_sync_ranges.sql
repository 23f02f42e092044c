-- A full sync lists contacts over several ID ranges at once, each with its
-- own cursor, so that an interrupted sync resumes every range where it
-- stopped. The ranges of one full sync partition the ID space; a range that
-- a walker split in two becomes two rows.
CREATE TABLE sync_ranges (
    phase  TEXT NOT NULL,
    id     INTEGER NOT NULL,           -- numbers the ranges of the phase's full sync
    lo     INTEGER NOT NULL,           -- the range holds the IDs >= lo ...
    hi     INTEGER NOT NULL,           -- ... and < hi; 0 = no upper bound
    cursor TEXT NOT NULL,              -- the after of its next page; '' = the list's start
    done   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (phase, id)
);

-- A full sync interrupted before ranges existed resumes its one cursor.
INSERT INTO sync_ranges (phase, id, lo, hi, cursor, done)
    SELECT phase, 0, 0, 0, cursor, 0 FROM sync_state WHERE in_progress = 1 AND cursor != '';
UPDATE sync_state SET cursor = '';

-- The search index is rebuilt whole after a full sync. FTS5 buffers terms
-- up to hashsize (1 MB by default) before writing a segment, and merges
-- segments as they pile up; with 32 MB it writes a fraction of the
-- segments, and rebuilding a million contacts takes about half the time.
-- Queries are unaffected. The buffer is SQLite's memory, held only while a
-- transaction writes that many terms.
INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('hashsize', 33554432);
