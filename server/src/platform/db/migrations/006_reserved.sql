-- Placeholder for migration 006, which another branch of issue 9 adds. DROP THIS FILE WHEN MERGING:
-- the real 006 takes its place (the sequence check refuses a gap before 007).
SELECT 1;
