-- 006: issue 9 — a session remembers when its holder last entered the password (creating an API token needs a
-- recent one), and an account remembers that an administrator's password reset revoked its API tokens, so the
-- user is told once.

ALTER TABLE sessions ADD COLUMN password_confirmed_at timestamptz;

ALTER TABLE users
  ADD COLUMN tokens_revoked_at timestamptz,
  ADD COLUMN tokens_revoked_count integer CHECK (tokens_revoked_count > 0),
  ADD CONSTRAINT users_tokens_revoked_notice CHECK ((tokens_revoked_at IS NULL) = (tokens_revoked_count IS NULL));
