-- HubSpot's correlationId of the request that failed an item: what an admin
-- quotes to HubSpot support, kept apart from the message so that the jobs
-- view can show both in full.
ALTER TABLE job_items ADD COLUMN correlation_id TEXT NOT NULL DEFAULT '';
