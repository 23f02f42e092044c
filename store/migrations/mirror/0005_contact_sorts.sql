-- Indexes for the contacts pane's sort keys (store/sort.go), so that the
-- first page of a million contacts sorted by name or last modified walks an
-- index instead of sorting every row. Sorting by owner uses contacts_owner.
CREATE INDEX IF NOT EXISTS contacts_name ON contacts (first_name COLLATE NOCASE, last_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS contacts_modified ON contacts (last_modified);
