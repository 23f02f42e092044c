-- Roles HubSpot dropped from a user during a change hsadmin made: the
-- checklist an admin works through to give them back in HubSpot's UI (no API
-- can grant a second role). Rows are ticked off, never deleted, when a later
-- sync shows the role back.

CREATE TABLE restore_items (
    id          INTEGER PRIMARY KEY,
    job_id      INTEGER NOT NULL REFERENCES jobs (id),
    user_id     TEXT NOT NULL,
    user_name   TEXT NOT NULL,     -- name and email as they were, for display
    user_email  TEXT NOT NULL,
    role_id     TEXT NOT NULL,
    role_name   TEXT NOT NULL,
    link        TEXT NOT NULL,     -- the user's page in HubSpot's settings
    dropped_at  INTEGER NOT NULL,  -- unix ms
    restored_at INTEGER            -- unix ms; NULL while still to do
);
CREATE INDEX restore_items_open ON restore_items (user_id) WHERE restored_at IS NULL;

-- What a write actually did, as read back from HubSpot after it: JSON, or
-- null while unknown.
ALTER TABLE job_items ADD COLUMN outcome TEXT NOT NULL DEFAULT 'null';
