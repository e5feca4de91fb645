-- Resident search pages an area node by node: each node's people in id order come from one index range,
-- (node_path, id). The same index still serves scope prefixes (LIKE '/1/2/%') and checks an age range inside
-- the index, as residents_path_idx did, so it replaces that index rather than adding a second one.
CREATE INDEX residents_scope_idx ON residents (node_path text_pattern_ops, id, birth_date);
DROP INDEX residents_path_idx;

-- A name prefix matches people all over the county (two initials: thousands); with node_path beside it the
-- index leaves out those outside the caller's area before their rows are read. Plain prefix searches use the
-- leading column as before.
CREATE INDEX residents_name_scope_idx ON residents (name text_pattern_ops, node_path text_pattern_ops);
CREATE INDEX residents_pinyin_scope_idx ON residents (name_pinyin text_pattern_ops, node_path text_pattern_ops);
CREATE INDEX residents_initials_scope_idx ON residents (name_initials text_pattern_ops, node_path text_pattern_ops);
DROP INDEX residents_name_idx, residents_pinyin_idx, residents_initials_idx;
