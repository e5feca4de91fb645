/**
 * The server's role and hierarchy tables. `roles.ts` is pure data with no imports, written to be shared,
 * so the console uses the very same lists (not copies) for its selects and the allowed child types.
 * This is the only runtime import from server/; everything else from there is `import type`.
 */
export {
  CHILD_TYPES,
  NODE_TYPES,
  ROLE_NODE_TYPES,
  ROLES,
} from '../../server/src/platform/access/roles';
