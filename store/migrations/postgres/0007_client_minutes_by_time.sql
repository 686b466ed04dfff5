-- client_minutes keyed by minute first (PostgreSQL).
--
-- Batches arrive in time order, so with the minute leading the key each commit inserts at the
-- right edge of the key's B-tree, and the range scans behind top clients, reports and exports
-- use it directly. The separate by-minute index (a second B-tree insert per row) is gone. One
-- client's series walks the stored minutes with one key probe each (`Store::series`).

DROP INDEX client_minutes_by_minute;
ALTER TABLE client_minutes DROP CONSTRAINT client_minutes_pkey;
ALTER TABLE client_minutes ADD CONSTRAINT client_minutes_pkey PRIMARY KEY (minute, client_type, client_value);
