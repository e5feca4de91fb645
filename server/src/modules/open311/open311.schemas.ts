import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** Open311 key management (/api/cases/open311-clients). The GeoReport v2 documents are in open311.logic.ts. */

export const Open311Client = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** The key's first characters, to tell keys apart; the key itself is never stored. */
  keyPrefix: Type.String(),
  /** The area whose cases the key may file and read. */
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  createdByName: Nullable(Type.String()),
  createdAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
});
export type Open311Client = Static<typeof Open311Client>;

export const CreateOpen311ClientBody = Strict({
  name: Text({ minLength: 1, maxLength: 80, trim: true }),
  /** A county, street, town, community, village or grid. */
  nodeId: Id,
});
export type CreateOpen311ClientBody = Static<typeof CreateOpen311ClientBody>;

/** The answer to a creation: the only time the key is shown. */
export const CreatedOpen311Client = Type.Object({ client: Open311Client, apiKey: Type.String() });
export type CreatedOpen311Client = Static<typeof CreatedOpen311Client>;
