-- A restore checklist item is ticked off either by a sync that sees the role
-- back or by an admin by hand (who gave it back in HubSpot's UI, or decided
-- the user should not have it). How and by whom is kept. Items ticked
-- before this column existed were ticked by a sync.
ALTER TABLE restore_items ADD COLUMN restored_how TEXT NOT NULL DEFAULT '';  -- 'sync' or 'hand'
ALTER TABLE restore_items ADD COLUMN restored_by TEXT NOT NULL DEFAULT '';   -- who ticked it by hand
UPDATE restore_items SET restored_how = 'sync' WHERE restored_at IS NOT NULL;
