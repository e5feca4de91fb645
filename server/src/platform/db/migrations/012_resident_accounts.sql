-- A resident's account and their own record in the people database: a resident signing in sees their household
-- and house (GET /api/me/household). Set by whoever manages the account and may read the resident
-- (PATCH /api/users/:id { residentId }); one account per resident.
ALTER TABLE users ADD COLUMN resident_id bigint REFERENCES residents (id);
CREATE UNIQUE INDEX users_resident_uq ON users (resident_id) WHERE resident_id IS NOT NULL;
