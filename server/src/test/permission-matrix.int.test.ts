// The permission matrix on PGlite (its cases: ./permission-matrix.ts). PostgreSQL's run is its own file,
// permission-matrix.postgres.int.test.ts, so that the two run side by side on vitest's two workers.
import { definePermissionMatrix } from './permission-matrix.js';

definePermissionMatrix(['pglite']);
