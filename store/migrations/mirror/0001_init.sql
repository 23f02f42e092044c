-- The mirror: a cache of one portal. It may be deleted at any time and is
-- rebuilt by a full sync.

CREATE TABLE roles (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL,
    requires_billing_write INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE teams (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    name            TEXT NOT NULL,
    role_id         TEXT NOT NULL,   -- the single roleId a user PUT keeps
    primary_team_id TEXT NOT NULL,
    super_admin     INTEGER NOT NULL,
    search          TEXT NOT NULL    -- lower-cased name, email and IDs
);
CREATE INDEX users_email ON users (email COLLATE NOCASE);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL,
    role_id  TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE user_teams (
    user_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    is_primary INTEGER NOT NULL,
    PRIMARY KEY (user_id, team_id)
);
CREATE INDEX user_teams_team ON user_teams (team_id);

CREATE TABLE owners (
    id                         TEXT PRIMARY KEY,
    email                      TEXT NOT NULL,
    type                       TEXT NOT NULL,
    first_name                 TEXT NOT NULL,
    last_name                  TEXT NOT NULL,
    name                       TEXT NOT NULL,
    user_id                    TEXT NOT NULL,  -- '' when archived, a queue or not a user
    user_id_including_inactive TEXT NOT NULL,
    archived                   INTEGER NOT NULL,
    created_at                 INTEGER NOT NULL, -- unix ms
    updated_at                 INTEGER NOT NULL,
    search                     TEXT NOT NULL
);
CREATE INDEX owners_user ON owners (user_id_including_inactive);
CREATE INDEX owners_email ON owners (email COLLATE NOCASE);

CREATE TABLE owner_teams (
    owner_id   TEXT NOT NULL,
    team_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    is_primary INTEGER NOT NULL,
    PRIMARY KEY (owner_id, team_id)
);

CREATE TABLE crm_users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL,
    given_name       TEXT NOT NULL,
    family_name      TEXT NOT NULL,
    internal_user_id TEXT NOT NULL,
    owner_id         TEXT NOT NULL,
    deactivated      INTEGER NOT NULL
);
CREATE INDEX crm_users_internal ON crm_users (internal_user_id);
CREATE INDEX crm_users_owner ON crm_users (owner_id);
CREATE INDEX crm_users_email ON crm_users (email COLLATE NOCASE);

-- Contact IDs are numeric, so they are the rowid: ordered and compact.
CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    email         TEXT NOT NULL,
    owner_id      TEXT NOT NULL,  -- hubspot_owner_id as HubSpot has it; '' when unset
    last_modified INTEGER NOT NULL, -- unix ms
    search        TEXT NOT NULL,  -- lower-cased name, email and ID
    sync_gen      INTEGER NOT NULL -- the full sync that last saw it
);
CREATE INDEX contacts_owner ON contacts (owner_id);

-- How many contacts each owner ID holds, kept by triggers so that panes
-- never count a million rows to draw.
CREATE TABLE owner_contact_counts (
    owner_id TEXT PRIMARY KEY,
    n        INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO owner_contact_counts (owner_id, n) VALUES (NEW.owner_id, 1)
        ON CONFLICT (owner_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts BEGIN
    UPDATE owner_contact_counts SET n = n - 1 WHERE owner_id = OLD.owner_id;
END;
CREATE TRIGGER contacts_count_update AFTER UPDATE OF owner_id ON contacts
WHEN OLD.owner_id IS NOT NEW.owner_id BEGIN
    UPDATE owner_contact_counts SET n = n - 1 WHERE owner_id = OLD.owner_id;
    INSERT INTO owner_contact_counts (owner_id, n) VALUES (NEW.owner_id, 1)
        ON CONFLICT (owner_id) DO UPDATE SET n = n + 1;
END;

-- Sync progress per phase ("directory", "contacts").
CREATE TABLE sync_state (
    phase          TEXT PRIMARY KEY,
    cursor         TEXT NOT NULL DEFAULT '',  -- next page of an unfinished full sync
    in_progress    INTEGER NOT NULL DEFAULT 0, -- a full sync started and has not finished
    generation     INTEGER NOT NULL DEFAULT 0, -- the current (or last) full sync
    last_full_sync INTEGER NOT NULL DEFAULT 0, -- unix ms, 0 = never
    last_sync      INTEGER NOT NULL DEFAULT 0,
    high_water     INTEGER NOT NULL DEFAULT 0  -- contacts modified at or after this are not yet mirrored
);
