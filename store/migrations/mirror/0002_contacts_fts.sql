-- A trigram index over contacts.search, so that a substring filter on a
-- million contacts answers in milliseconds. It is kept by triggers for
-- ordinary writes; a full sync marks it stale (the triggers then skip) and
-- rebuilds it once at the end, which is many times faster than per-row
-- upkeep. Queries do not use a stale index.

CREATE VIRTUAL TABLE contacts_fts USING fts5(search, content = 'contacts', content_rowid = 'id', tokenize = 'trigram');

CREATE TABLE fts_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    stale INTEGER NOT NULL
);
INSERT INTO fts_state (id, stale) VALUES (1, 0);

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts
WHEN (SELECT stale FROM fts_state) = 0 BEGIN
    INSERT INTO contacts_fts (rowid, search) VALUES (NEW.id, NEW.search);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts
WHEN (SELECT stale FROM fts_state) = 0 BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, search) VALUES ('delete', OLD.id, OLD.search);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF search ON contacts
WHEN (SELECT stale FROM fts_state) = 0 AND OLD.search IS NOT NEW.search BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, search) VALUES ('delete', OLD.id, OLD.search);
    INSERT INTO contacts_fts (rowid, search) VALUES (NEW.id, NEW.search);
END;
