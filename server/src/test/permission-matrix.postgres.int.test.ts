// The permission matrix on PostgreSQL (DATABASE_URL; CI sets it), beside the PGlite file on the other worker.
import { describe, expect, it } from 'vitest';
import { definePermissionMatrix } from './permission-matrix.js';
import { testDbKinds } from './test-db.js';

if (process.env.DATABASE_URL) definePermissionMatrix(['postgres']);
else
  describe('permission matrix [postgres]', () => {
    it('runs only when DATABASE_URL names a PostgreSQL server: without it the tests use PGlite alone', () => {
      expect(testDbKinds()).toEqual(['pglite']);
    });
  });
