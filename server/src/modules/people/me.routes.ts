import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../platform/http/schemas.js';
import { MyHousehold } from './me.schemas.js';
import { getMyHousehold } from './me.service.js';
import type { PeopleDeps } from './people.service.js';

/** What a signed-in person reads about themselves in the people database. */
export async function meRoutes(fastify: FastifyInstance, deps: PeopleDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/me/household',
    {
      schema: {
        tags: ['people'],
        summary: 'The caller’s own household and house (their account’s resident record); their own numbers in full',
        response: { 200: MyHousehold, ...errorResponses },
      },
    },
    async (req) => getMyHousehold(deps, req.ctx()),
  );
}
