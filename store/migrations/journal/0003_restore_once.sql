-- A role a job dropped from a user is on the restore checklist once, even
-- when a run killed after writing the checklist is verified again at the
-- next start. Duplicates written before this rule are merged first.
DELETE FROM restore_items
WHERE id NOT IN (SELECT MIN(id) FROM restore_items GROUP BY job_id, user_id, role_id);

CREATE UNIQUE INDEX restore_items_once ON restore_items (job_id, user_id, role_id);
