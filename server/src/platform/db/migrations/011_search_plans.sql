-- Resident search plans (see resident-search.repo.ts).

-- A tag with an age range ("disabled, aged 20 to 30" over a whole county) starts from the tag's holders born in
-- the range: resident_tags carries its holder's birth date, kept by the triggers that keep its node_path.
ALTER TABLE resident_tags ADD COLUMN birth_date date;
UPDATE resident_tags rt SET birth_date = r.birth_date FROM residents r WHERE r.id = rt.resident_id;
ALTER TABLE resident_tags ALTER COLUMN birth_date SET NOT NULL;

-- Writers that know the holder's place and birth date give them (the derived-tag refresh); others leave them
-- to the trigger, which fills what is missing.
CREATE OR REPLACE FUNCTION resident_tags_fill_path() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  SELECT node_path, birth_date INTO r FROM residents WHERE id = NEW.resident_id;
  NEW.node_path := COALESCE(NEW.node_path, r.node_path);
  NEW.birth_date := COALESCE(NEW.birth_date, r.birth_date);
  RETURN NEW;
END $$;
DROP TRIGGER resident_tags_fill_path ON resident_tags;
CREATE TRIGGER resident_tags_fill_path BEFORE INSERT ON resident_tags
  FOR EACH ROW WHEN (NEW.node_path IS NULL OR NEW.birth_date IS NULL) EXECUTE FUNCTION resident_tags_fill_path();

CREATE OR REPLACE FUNCTION residents_sync_tag_paths() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE resident_tags SET node_path = NEW.node_path, birth_date = NEW.birth_date WHERE resident_id = NEW.id;
  RETURN NULL;
END $$;
DROP TRIGGER residents_sync_tag_paths ON residents;
CREATE TRIGGER residents_sync_tag_paths AFTER UPDATE OF node_path, birth_date ON residents
  FOR EACH ROW WHEN (OLD.node_path IS DISTINCT FROM NEW.node_path OR OLD.birth_date IS DISTINCT FROM NEW.birth_date)
  EXECUTE FUNCTION residents_sync_tag_paths();

-- Few holders born in the range: found by the range. Many: read in id order, birth date and place checked inside
-- the index (this one replaces resident_tags_tag_idx, which had the same key).
CREATE INDEX resident_tags_born_idx ON resident_tags (tag_id, birth_date) INCLUDE (node_path, resident_id);
CREATE INDEX resident_tags_holder_idx ON resident_tags (tag_id, resident_id) INCLUDE (birth_date, node_path);
DROP INDEX resident_tags_tag_idx;

-- Text anywhere in an address (LIKE '%…%') is found through the address's bigrams: the pairs of adjacent
-- characters, so that two Chinese characters (幸福) already narrow the search, in any locale and without an
-- extension (pg_trgm makes no trigrams of Chinese text in a database whose LC_CTYPE is C, nor of two
-- characters). Every bigram of the text typed is in the address's; LIKE then checks the text itself.
-- No DISTINCT: GIN keeps each key of a row once anyway, and the sort would nearly double the cost of building
-- the index (about 10 µs a row; a bulk import rebuilds it).
CREATE FUNCTION text_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(substr(t, i, 2)), '{}') FROM generate_series(1, length(t) - 1) AS i
$$;
CREATE INDEX residents_address_idx ON residents
  USING gin (text_bigrams(coalesce(current_address, '') || E'\n' || coalesce(hukou_address, '')));
