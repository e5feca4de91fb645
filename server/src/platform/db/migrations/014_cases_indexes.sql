-- The board's filtered list (listCasesPage; bench:cases): scope + stage + category + time range, newest first.
-- With 013's indexes the planner read every case of the scope's time range (cases_board_idx) or of the stage's
-- (cases_stage_idx) from the table and dropped most of them by filter: 1,200 to 13,000 table rows for a page of
-- 20 on 1,000,000 cases, p95 176 ms. Here stage and category are equalities (one index range per pair of
-- values), the scope's path prefix bounds each range, and the time range is checked in the index, so only
-- matching cases are read from the table (the page is then the newest 20 of those).
CREATE INDEX cases_board_filter_idx ON cases (stage, category_id, node_path text_pattern_ops, created_at DESC, id DESC);

-- The next case number (insertCase: the highest 'SJ20261207-%' of the county, under a per-county-and-day lock)
-- matched its LIKE prefix against no index — cases_no_uq uses the database's collation — so every report read all
-- of the county's cases while holding the lock: about 200 ms at 300,000 cases and reports queued behind each other
-- (bench:cases: 2.7 requests/s, a 9 s tail). With text_pattern_ops the prefix is an index range (0.3 ms).
CREATE INDEX cases_no_prefix_idx ON cases (county_id, case_no text_pattern_ops);
