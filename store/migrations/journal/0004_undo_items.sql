-- An undo's items are matched to the items of the job it reverses by the
-- record they change: how many of a job's changes are back is counted from
-- the items, not written down separately, so it cannot disagree with them.
CREATE INDEX job_items_subject ON job_items (job_id, subject_id);
