import { randomInt } from 'node:crypto';
import { type Ctx, systemCtx } from '../../platform/access/context.js';
import { ROLE_NODE_TYPES, ROLE_RANK, type Role } from '../../platform/access/roles.js';
import {
  assertCan,
  assertPermission,
  can,
  isSystemAdmin,
  rankAt,
  scopeFor,
  scopeSql,
} from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import { assertStrongPassword, hashPassword, revokeCredentialsOf } from '../../platform/auth/auth.service.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskPhone, type PiiCipher, parsePhone } from '../../platform/pii/index.js';
import { findNodeById } from '../org/org.service.js';
import { readableResident } from '../people/people.service.js';
import * as repo from './users.repo.js';
import type {
  CreateUserBody,
  ListUsersQuery,
  PostInput,
  RevealBody,
  UpdateUserBody,
  UserSummary,
} from './users.schemas.js';

export type UsersDeps = { db: Db; pii: PiiCipher };

function toSummary(r: repo.UserRow): UserSummary {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    phoneMasked: r.phone_masked,
    disabled: r.disabled,
    lockedUntil: r.locked_until && r.locked_until > new Date() ? r.locked_until.toISOString() : null,
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
    homeNodeId: r.home_node_id,
    homeNodeName: r.home_node_name,
    residentId: r.resident_id,
    posts: r.posts.map((p) => ({
      id: p.id,
      role: p.role,
      nodeId: p.nodeId,
      nodeName: p.nodeName,
      nodeType: p.nodeType as UserSummary['posts'][number]['nodeType'],
    })),
    createdAt: r.created_at.toISOString(),
  };
}

function auditShape(r: repo.UserRow) {
  return {
    displayName: r.display_name,
    phone: r.phone_masked,
    disabled: r.disabled,
    homeNodeId: r.home_node_id,
  };
}

/** Accounts are seen where their home node lies; accounts with no home node only by system admins. */
function canSee(ctx: Ctx, user: repo.UserRow): boolean {
  return can(ctx.principal, 'users.read', user.home_path);
}

async function visibleUser(q: Queryable, ctx: Ctx, id: number): Promise<repo.UserRow> {
  const user = await repo.findUser(q, id);
  if (!user || !canSee(ctx, user)) throw new AppError('USER_NOT_FOUND');
  return user;
}

/** Linli must keep one enabled system administrator; the rows are locked so two cannot remove each other. */
async function assertNotLastAdmin(q: Queryable, user: repo.UserRow): Promise<void> {
  if (!user.posts.some((p) => p.role === 'admin' && p.nodeId === null)) return;
  if ((await repo.lockSystemAdmins(q)) <= 1) throw new AppError('USER_LAST_ADMIN');
}

function highestRank(user: repo.UserRow): number {
  return Math.max(0, ...user.posts.map((p) => ROLE_RANK[p.role]));
}

/** A manager may change an account under their area whose posts all rank below their own there. */
function assertManageable(ctx: Ctx, user: repo.UserRow): void {
  assertCan(ctx.principal, 'users.write', user.home_path, {
    readPermission: 'users.read',
    notFound: new AppError('USER_NOT_FOUND'),
  });
  if (isSystemAdmin(ctx.principal)) return;
  if (highestRank(user) >= rankAt(ctx.principal, 'users.write', user.home_path)) {
    throw new AppError('USER_RANK_PROTECTED');
  }
}

function sealPhone(pii: PiiCipher, raw: string | null | undefined) {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return { sealed: null, hash: null, masked: null };
  const parsed = parsePhone(raw);
  if (!parsed.ok) throw new AppError('PHONE_INVALID', { field: 'phone' });
  return { sealed: pii.seal(parsed.value), hash: pii.hash(parsed.value, 'phone'), masked: maskPhone(parsed.value) };
}

/**
 * Checks that the caller may give `role` at `nodeId`, and returns the node's county.
 * @throws POST_NODE_REQUIRED, ORG_NODE_NOT_FOUND, ROLE_NODE_TYPE_INVALID, ROLE_NOT_GRANTABLE, OUT_OF_SCOPE,
 *   FORBIDDEN
 */
async function checkGrant(
  q: Queryable,
  ctx: Ctx,
  post: PostInput,
  field: string,
): Promise<{ countyId: number | null }> {
  if (post.nodeId === null) {
    if (post.role !== 'admin') throw new AppError('POST_NODE_REQUIRED', { field: `${field}.nodeId` });
    if (!isSystemAdmin(ctx.principal))
      throw new AppError('ROLE_NOT_GRANTABLE', { field: `${field}.role`, params: { role: post.role } });
    return { countyId: null };
  }
  const node = await findNodeById(q, post.nodeId);
  if (!node || node.status !== 'active' || !can(ctx.principal, 'org.read', node.path))
    throw new AppError('ORG_NODE_NOT_FOUND', { field: `${field}.nodeId` });
  assertCan(ctx.principal, 'users.write', node.path);
  if (!ROLE_NODE_TYPES[post.role].includes(node.type))
    throw new AppError('ROLE_NODE_TYPE_INVALID', {
      field: `${field}.role`,
      params: { role: post.role, type: node.type, allowed: ROLE_NODE_TYPES[post.role].join(', ') },
    });
  if (!isSystemAdmin(ctx.principal) && ROLE_RANK[post.role] >= rankAt(ctx.principal, 'users.write', node.path))
    throw new AppError('ROLE_NOT_GRANTABLE', { field: `${field}.role`, params: { role: post.role } });
  return { countyId: node.county_id };
}

export async function listUsers(
  deps: UsersDeps,
  ctx: Ctx,
  query: ListUsersQuery,
): Promise<{ items: UserSummary[]; total: number }> {
  assertPermission(ctx.principal, 'users.read');
  const scope = scopeFor(ctx.principal, 'users.read');
  let nodePath: string | null = null;
  if (query.nodeId) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node || !can(ctx.principal, 'org.read', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    nodePath = node.path;
  }
  const text = query.q?.trim() || null;
  const phone = text ? parsePhone(text) : null;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listUsers(deps.db, {
    scopeCondition: scopeSql(scope, 'h.path'),
    includeUnplaced: scope.all,
    text,
    phoneHash: phone?.ok ? deps.pii.hash(phone.value, 'phone') : null,
    nodePath,
    role: query.role ?? null,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map(toSummary), total };
}

/** @throws USER_NOT_FOUND */
export async function getUser(deps: UsersDeps, ctx: Ctx, id: number): Promise<UserSummary> {
  assertPermission(ctx.principal, 'users.read');
  return toSummary(await visibleUser(deps.db, ctx, id));
}

/**
 * Creates a staff or resident account under a node the caller manages, with its first posts.
 * The account must change its password at first login.
 * @throws USERNAME_TAKEN, PASSWORD_WEAK, PHONE_INVALID, ORG_NODE_NOT_FOUND, ROLE_NOT_GRANTABLE, POST_NODE_REQUIRED
 */
export async function createUser(
  deps: UsersDeps,
  ctx: Ctx,
  body: CreateUserBody,
  opts: { mustChangePassword?: boolean } = {},
): Promise<UserSummary> {
  assertPermission(ctx.principal, 'users.write');
  assertStrongPassword(body.password, 'password');
  const phone = sealPhone(deps.pii, body.phone);
  const passwordHash = await hashPassword(body.password);
  const id = await deps.db.transaction(async (tx) => {
    let home: Awaited<ReturnType<typeof findNodeById>>;
    if (body.homeNodeId === null) {
      if (!isSystemAdmin(ctx.principal)) throw new AppError('HOME_NODE_REQUIRED', { field: 'homeNodeId' });
    } else {
      home = await findNodeById(tx, body.homeNodeId);
      if (!home || home.status !== 'active' || !can(ctx.principal, 'org.read', home.path))
        throw new AppError('ORG_NODE_NOT_FOUND', { field: 'homeNodeId' });
      assertCan(ctx.principal, 'users.write', home.path);
    }
    if (await repo.usernameExists(tx, body.username))
      throw new AppError('USERNAME_TAKEN', { field: 'username', params: { username: body.username } });
    const posts = body.posts ?? [];
    const grants = [];
    for (const [i, p] of posts.entries()) grants.push(await checkGrant(tx, ctx, p, `posts.${i}`));
    const userId = await repo.insertUser(tx, {
      username: body.username,
      displayName: body.displayName.trim(),
      passwordHash,
      phoneSealed: phone?.sealed ?? null,
      phoneHash: phone?.hash ?? null,
      phoneMasked: phone?.masked ?? null,
      homeNodeId: home?.id ?? null,
      countyId: home?.county_id ?? null,
      mustChangePassword: opts.mustChangePassword ?? true,
    });
    for (const [i, p] of posts.entries()) {
      await insertPostOrConflict(
        tx,
        { userId, nodeId: p.nodeId, countyId: grants[i]!.countyId, role: p.role },
        `posts.${i}`,
      );
    }
    await recordAudit(tx, ctx, {
      action: 'user.create',
      targetType: 'user',
      targetId: userId,
      targetLabel: body.username,
      scopePath: home?.path ?? null,
      countyId: home?.county_id ?? null,
      after: {
        username: body.username,
        displayName: body.displayName,
        phone: phone?.masked ?? null,
        homeNodeId: home?.id ?? null,
        posts: posts.map((p) => `${p.role}@${p.nodeId ?? '*'}`).join(', '),
      },
    });
    return userId;
  });
  return getUser(deps, ctx, id);
}

async function insertPostOrConflict(
  tx: Queryable,
  p: { userId: number; nodeId: number | null; countyId: number | null; role: Role },
  field: string,
): Promise<number> {
  try {
    return await repo.insertPost(tx, p);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('POST_DUPLICATE', { field });
    throw err;
  }
}

/** The resident record an account is linked to (a resident's own), or null. */
export async function linkedResidentOf(q: Queryable, userId: number): Promise<number | null> {
  return userId > 0 ? repo.findLinkedResidentId(q, userId) : null;
}

export async function usernameTaken(q: Queryable, username: string): Promise<boolean> {
  return repo.usernameExists(q, username);
}

/** @throws USER_NOT_FOUND, USER_RANK_PROTECTED, PHONE_INVALID, RESIDENT_NOT_FOUND, RESIDENT_ACCOUNT_TAKEN */
export async function updateUser(deps: UsersDeps, ctx: Ctx, id: number, body: UpdateUserBody): Promise<UserSummary> {
  const phone = sealPhone(deps.pii, body.phone);
  await deps.db.transaction(async (tx) => {
    const user = await visibleUser(tx, ctx, id);
    assertManageable(ctx, user);
    const next = {
      displayName: body.displayName?.trim() ?? user.display_name,
      disabled: body.disabled ?? user.disabled,
      phone,
    };
    if (next.disabled && !user.disabled) await assertNotLastAdmin(tx, user);
    await repo.updateUser(tx, id, next);
    // a resident's account sees its own household: the manager must be able to read that resident
    let residentLabel: string | null | undefined;
    if (body.residentId !== undefined && body.residentId !== user.resident_id) {
      if (body.residentId !== null) {
        const resident = await readableResident(tx, ctx, body.residentId);
        residentLabel = `${resident.name} #${resident.id}`;
      } else residentLabel = null;
      if (!(await repo.setUserResident(tx, id, body.residentId)))
        throw new AppError('RESIDENT_ACCOUNT_TAKEN', { field: 'residentId' });
    }
    if (next.disabled && !user.disabled) await repo.deleteSessionsOf(tx, id);
    await recordAudit(tx, ctx, {
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      targetLabel: user.username,
      scopePath: user.home_path,
      countyId: user.county_id,
      before: {
        ...auditShape(user),
        ...(residentLabel !== undefined ? { resident: user.resident_id === null ? null : `#${user.resident_id}` } : {}),
      },
      after: {
        ...auditShape(user),
        displayName: next.displayName,
        disabled: next.disabled,
        phone: phone === undefined ? user.phone_masked : phone.masked,
        ...(residentLabel !== undefined ? { resident: residentLabel } : {}),
      },
    });
  });
  return getUser(deps, ctx, id);
}

/**
 * Sets a new password the user must change at next login, ends their sessions and revokes their API tokens
 * (the user is told so at their next login); returns how many tokens were revoked. The command line's
 * reset-password comes here too.
 * @throws USER_NOT_FOUND, USER_RANK_PROTECTED, PASSWORD_WEAK
 */
export async function resetPassword(deps: UsersDeps, ctx: Ctx, id: number, newPassword: string): Promise<number> {
  assertStrongPassword(newPassword, 'newPassword');
  // Refused before the costly hash, so nobody makes the server hash for an account they may not manage;
  // checked again inside the transaction, where the change happens.
  assertManageable(ctx, await visibleUser(deps.db, ctx, id));
  const hash = await hashPassword(newPassword);
  return deps.db.transaction(async (tx) => {
    const user = await visibleUser(tx, ctx, id);
    assertManageable(ctx, user);
    await repo.setPassword(tx, id, hash);
    const revokedTokens = await revokeCredentialsOf(tx, id);
    await recordAudit(tx, ctx, {
      action: 'user.reset_password',
      targetType: 'user',
      targetId: id,
      targetLabel: user.username,
      scopePath: user.home_path,
      countyId: user.county_id,
      diff: {
        password: ['[secret]', '[changed]'],
        ...(revokedTokens > 0 ? { revokedTokens: [0, revokedTokens] } : {}),
      },
    });
    return revokedTokens;
  });
}

export async function unlockUser(deps: UsersDeps, ctx: Ctx, id: number): Promise<UserSummary> {
  await deps.db.transaction(async (tx) => {
    const user = await visibleUser(tx, ctx, id);
    assertManageable(ctx, user);
    await repo.unlockUser(tx, id);
    await recordAudit(tx, ctx, {
      action: 'user.unlock',
      targetType: 'user',
      targetId: id,
      targetLabel: user.username,
      scopePath: user.home_path,
      countyId: user.county_id,
      diff: { lockedUntil: [user.locked_until?.toISOString() ?? null, null] },
    });
  });
  return getUser(deps, ctx, id);
}

/** @throws USER_NOT_FOUND, USER_RANK_PROTECTED, ROLE_NOT_GRANTABLE, POST_DUPLICATE, ORG_NODE_NOT_FOUND */
export async function addPost(deps: UsersDeps, ctx: Ctx, id: number, post: PostInput): Promise<UserSummary> {
  await deps.db.transaction(async (tx) => {
    const user = await visibleUser(tx, ctx, id);
    assertManageable(ctx, user);
    const { countyId } = await checkGrant(tx, ctx, post, 'post');
    const postId = await insertPostOrConflict(
      tx,
      { userId: id, nodeId: post.nodeId, countyId, role: post.role },
      'role',
    );
    await recordAudit(tx, ctx, {
      action: 'user.add_post',
      targetType: 'user',
      targetId: id,
      targetLabel: user.username,
      scopePath: user.home_path,
      countyId: user.county_id,
      diff: { post: [null, { id: postId, role: post.role, nodeId: post.nodeId }] },
    });
  });
  return getUser(deps, ctx, id);
}

/** @throws USER_NOT_FOUND, POST_NOT_FOUND, USER_RANK_PROTECTED, ROLE_NOT_GRANTABLE */
export async function removePost(deps: UsersDeps, ctx: Ctx, id: number, postId: number): Promise<UserSummary> {
  await deps.db.transaction(async (tx) => {
    const user = await visibleUser(tx, ctx, id);
    assertManageable(ctx, user);
    const post = user.posts.find((p) => p.id === postId);
    if (!post) throw new AppError('POST_NOT_FOUND');
    if (post.role === 'admin' && post.nodeId === null) await assertNotLastAdmin(tx, user);
    await checkGrant(tx, ctx, { nodeId: post.nodeId, role: post.role }, 'post');
    await repo.deletePost(tx, id, postId);
    await recordAudit(tx, ctx, {
      action: 'user.remove_post',
      targetType: 'user',
      targetId: id,
      targetLabel: user.username,
      scopePath: user.home_path,
      countyId: user.county_id,
      diff: { post: [{ id: postId, role: post.role, nodeId: post.nodeId }, null] },
    });
  });
  return getUser(deps, ctx, id);
}

/**
 * Shows a sealed value in full to a caller holding pii.reveal over the account, and records who
 * saw what and why.
 * @throws USER_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, PII_FIELD_EMPTY
 */
export async function revealUserField(
  deps: UsersDeps,
  ctx: Ctx,
  id: number,
  body: RevealBody,
): Promise<{ value: string }> {
  assertPermission(ctx.principal, 'pii.reveal');
  const reason = requireReason(body.reason);
  return deps.db.transaction(async (tx) => {
    const user = await visibleUser(tx, ctx, id);
    assertCan(ctx.principal, 'pii.reveal', user.home_path);
    if (!user.phone_sealed) throw new AppError('PII_FIELD_EMPTY', { field: 'field' });
    const value = deps.pii.open(user.phone_sealed);
    await recordAudit(tx, ctx, {
      action: 'pii.reveal',
      targetType: 'user',
      targetId: id,
      targetLabel: user.username,
      scopePath: user.home_path,
      countyId: user.county_id,
      diff: null,
      reason: `${body.field}: ${reason}`,
    });
    return { value };
  });
}

/**
 * Makes sure a system administrator exists. On a new database it creates `username` with the given
 * password, or a generated one that is returned (to be printed once) and must be changed at first login.
 */
export async function ensureSystemAdmin(
  deps: UsersDeps,
  opts: { username?: string; password?: string },
): Promise<{ created: false } | { created: true; username: string; password: string; generated: boolean }> {
  if ((await repo.countSystemAdmins(deps.db)) > 0) return { created: false };
  const username = opts.username ?? 'admin';
  const generated = !opts.password;
  const password = opts.password ?? generatePassword();
  await createUser(
    deps,
    systemCtx('bootstrap'),
    { username, displayName: '系统管理员', password, homeNodeId: null, posts: [{ nodeId: null, role: 'admin' }] },
    { mustChangePassword: generated },
  );
  return { created: true, username, password, generated };
}

/** 16 characters from an alphabet without look-alikes (0/O, 1/l), with letters and digits. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  for (;;) {
    const pw = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
    if (/\d/.test(pw) && /[A-Za-z]/.test(pw)) return pw;
  }
}

/**
 * Adds a system administrator (operators' command). A generated password is returned to be shown once.
 * @throws USERNAME_TAKEN, PASSWORD_WEAK
 */
export async function createSystemAdmin(
  deps: UsersDeps,
  opts: { username: string; password?: string },
): Promise<{ username: string; password: string; generated: boolean }> {
  const generated = !opts.password;
  const password = opts.password ?? generatePassword();
  await createUser(
    deps,
    systemCtx('cli'),
    {
      username: opts.username,
      displayName: '系统管理员',
      password,
      homeNodeId: null,
      posts: [{ nodeId: null, role: 'admin' }],
    },
    { mustChangePassword: true },
  );
  return { username: opts.username, password, generated };
}

/** Operators' reset of a forgotten password. @throws USER_NOT_FOUND, PASSWORD_WEAK */
export async function resetPasswordByUsername(
  deps: UsersDeps,
  username: string,
  password?: string,
): Promise<{ password: string; generated: boolean; revokedTokens: number }> {
  const id = await repo.findUserIdByUsername(deps.db, username);
  if (id === undefined) throw new AppError('USER_NOT_FOUND', { field: 'username' });
  const pw = password ?? generatePassword();
  const revokedTokens = await resetPassword(deps, systemCtx('cli'), id, pw);
  return { password: pw, generated: password === undefined, revokedTokens };
}
