-- Reserved: the cases brief gives number 016 to helper A (cases core). Migrations must be numbered without gaps and
-- case statistics adds 017 (cases_board_filter_idx), so this file holds the number until theirs lands; when a real
-- 016_*.sql arrives, delete this one (nothing here touches the schema).
SELECT 1;
