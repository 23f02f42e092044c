-- People offboarded through hsadmin: when, by which journal job, and
-- whether their user was kept. Not HubSpot data, so no sync replaces it; a
-- person's card reads it to say when and how they left.
CREATE TABLE IF NOT EXISTS departures (
    user_id   TEXT NOT NULL,
    owner_id  TEXT NOT NULL,  -- '' when the user had no owner
    job_id    INTEGER NOT NULL,
    left_at   INTEGER NOT NULL, -- unix ms
    kept_user INTEGER NOT NULL,
    PRIMARY KEY (user_id, job_id)
);
CREATE INDEX IF NOT EXISTS departures_owner ON departures (owner_id);
