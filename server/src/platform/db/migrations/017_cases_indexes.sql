-- The board's filtered list (listCasesPage; bench:cases): scope + stage + category + time range, newest first.
-- With 013's indexes the planner read every case of the scope's time range (cases_board_idx) or of the stage's
-- (cases_stage_idx) from the table and dropped most of them by filter: 1,200 to 13,000 table rows for a page of
-- 20 on 1,000,000 cases, p95 176 ms. Here stage and category are equalities (one index range per pair of
-- values), the scope's path prefix bounds each range, and the time range is checked in the index, so only
-- matching cases are read from the table (the page is then the newest 20 of those).
CREATE INDEX cases_board_filter_idx ON cases (stage, category_id, node_path text_pattern_ops, created_at DESC, id DESC);
