-- The paid seats each Settings user holds (seatNames), one name a line, so
-- that a user's card shows them and a plan knows who holds which seat.
ALTER TABLE users ADD COLUMN seat_names TEXT NOT NULL DEFAULT '';
