-- Managers read the queue's health (PostgreSQL grants them the columns it needs in its 0016);
-- an SQLite file is guarded by file permissions. Kept so both stores share version numbers.
SELECT 1;
