// The permission matrix (its cases: ./permission-matrix.ts) on every database at hand: PGlite, and PostgreSQL when
// DATABASE_URL is set. (Split into one file per database, the PostgreSQL half's import commits failed in a
// clean-clone run while both halves ran side by side; until that is understood the two run in one file.)
import { definePermissionMatrix } from './permission-matrix.js';
import { testDbKinds } from './test-db.js';

definePermissionMatrix(testDbKinds());
