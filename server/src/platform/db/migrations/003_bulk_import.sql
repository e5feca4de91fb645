-- Tags written with their holder's node_path (derived tags, imports) no longer look it up row by row: the
-- trigger that fills it runs only when the writer left it out.
DROP TRIGGER resident_tags_fill_path ON resident_tags;
CREATE TRIGGER resident_tags_fill_path BEFORE INSERT ON resident_tags
  FOR EACH ROW WHEN (NEW.node_path IS NULL) EXECUTE FUNCTION resident_tags_fill_path();
