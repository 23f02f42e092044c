-- Indexes for the records pane's sort keys (store/records_list.go), so that
-- the first page of a type sorted by name or last modified walks an index
-- instead of sorting every record of the type. ID order walks the primary key.
CREATE INDEX IF NOT EXISTS records_name ON records (type, name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS records_modified ON records (type, last_modified);
