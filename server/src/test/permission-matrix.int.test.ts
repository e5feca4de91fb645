// The permission matrix (its cases: ./permission-matrix.ts) on PGlite; ./permission-matrix.postgres.int.test.ts runs
// it on PostgreSQL on vitest's other worker, side by side.
import { definePermissionMatrix } from './permission-matrix.js';

definePermissionMatrix(['pglite']);
