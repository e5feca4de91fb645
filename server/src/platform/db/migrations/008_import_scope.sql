-- The area an import was made for: the importer's people.import scope at upload, or the one node they chose.
-- Who may see the import (and its error report, which holds rows as written) is decided by this area, so that
-- an importer who has since moved elsewhere no longer reaches it. '{/}' is everywhere (a system administrator);
-- NULL marks imports made before this column, judged by their creator's current area as before.
ALTER TABLE imports ADD COLUMN scope_paths text[];
