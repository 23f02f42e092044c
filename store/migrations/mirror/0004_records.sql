-- Every owned record beyond contacts (issue 15). Contacts keep their own
-- table; the other types share one, keyed by type and record ID.

-- The object types the token can read, as discovered at sync.
CREATE TABLE object_types (
    type             TEXT PRIMARY KEY, -- as the API paths name it: companies, deals, tickets, 2-…
    singular         TEXT NOT NULL,
    plural           TEXT NOT NULL,
    display_property TEXT NOT NULL,    -- the property that names a record
    position         INTEGER NOT NULL
);

-- The properties of each type that hold owner IDs: hubspot_owner_id and
-- every property whose options are the portal's owners.
CREATE TABLE owner_properties (
    type            TEXT NOT NULL,
    name            TEXT NOT NULL,
    label           TEXT NOT NULL,
    multi           INTEGER NOT NULL, -- a multi-select: owner IDs joined by ';'
    hubspot_defined INTEGER NOT NULL,
    read_only       INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (type, name)
) WITHOUT ROWID;

CREATE TABLE records (
    type          TEXT NOT NULL,
    id            TEXT NOT NULL,
    name          TEXT NOT NULL,    -- the type's display property
    last_modified INTEGER NOT NULL, -- unix ms
    archived      INTEGER NOT NULL,
    closed        INTEGER NOT NULL, -- a deal or ticket in a closed pipeline stage
    sync_gen      INTEGER NOT NULL, -- the type's full sync that last saw it
    PRIMARY KEY (type, id)
) WITHOUT ROWID;

-- One row per owner ID a record's owner property holds; position orders
-- the IDs of a multi-select value.
CREATE TABLE record_owners (
    type      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    property  TEXT NOT NULL,
    owner_id  TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (type, record_id, property, position)
) WITHOUT ROWID;
-- "Records held by owner X", per type and property.
CREATE INDEX record_owners_owner ON record_owners (owner_id, type, property);

-- Associations between companies, deals, tickets and contacts, one row per
-- direction read.
CREATE TABLE record_associations (
    from_type TEXT NOT NULL,
    from_id   TEXT NOT NULL,
    to_type   TEXT NOT NULL,
    to_id     TEXT NOT NULL,
    PRIMARY KEY (from_type, from_id, to_type, to_id)
) WITHOUT ROWID;
CREATE INDEX record_associations_to ON record_associations (to_type, to_id);
