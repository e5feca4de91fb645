import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../platform/http/schemas.js';
import { CommunityMap, MapQuery } from './cases-map.schemas.js';
import { type CasesMapDeps, getCommunityMap } from './cases-map.service.js';

/** The grid map the phone draws for placing a case (any signed-in account, within its reporting area). */
export async function casesMapRoutes(fastify: FastifyInstance, deps: CasesMapDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/cases/map',
    {
      schema: {
        tags: ['cases'],
        summary: 'A community’s grid map: outlines of the community, its grids and buildings (GeoJSON), tile template',
        querystring: MapQuery,
        response: { 200: CommunityMap, ...errorResponses },
      },
    },
    async (req) => getCommunityMap(deps, req.ctx(), req.query),
  );
}
