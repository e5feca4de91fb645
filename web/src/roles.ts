/**
 * The server's role and hierarchy tables. `roles.ts` is pure data with no imports, written to be shared,
 * so the console uses the very same lists (not copies) for its selects and the allowed child types.
 * Runtime imports from server/ are pure data and rules with no imports of their own (this file, and the rule for
 * audited reasons in server/src/platform/audit/reason.logic.ts); everything else from there is `import type`.
 */
export {
  CHILD_TYPES,
  NODE_TYPES,
  ROLE_NODE_TYPES,
  ROLE_PERMISSIONS,
  ROLES,
} from '../../server/src/platform/access/roles';
