import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { documented } from '../../lib/route.ts';
import { problems } from '../../lib/schema.ts';
import { cardOnFile, listCards, removeCard, startCardSetup } from './card-on-file.ts';
import type { PaymentDeps } from './deps.ts';
import { LabIdParams } from './schema.ts';
import {
  CardOnFileOut,
  CardOnFileQuery,
  CardSetupIn,
  CardSetupOut,
  CardsQuery,
  OrgCardParams,
  OrgIdParams,
  SavedCardPage,
} from './schema-cards.ts';

/** Cards on file: saved with a lab once (setup mode), charged off-session for that lab's bookings. */
export function cardOnFileRoutes(deps: () => PaymentDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/labs/:labId/card-setup',
      documented(
        ['money'],
        { params: LabIdParams, body: CardSetupIn, answer: CardSetupOut, problems: [400, 401, 404, 422, 502] },
        'Starts saving a card with a lab (members of the customer organisation): a hosted page in setup mode on the lab’s own merchant account; the card is stored only when the processor confirms it (webhook)',
      ),
      async (request) => startCardSetup(deps(), request.actor, request.params.labId, request.body),
    );

    app.get(
      '/v1/labs/:labId/card-on-file',
      documented(
        ['money'],
        { params: LabIdParams, querystring: CardOnFileQuery, answer: CardOnFileOut, problems: [400, 401, 404] },
        'Whether the customer organisation can save a card with this lab now, and the card its booking charges go to',
      ),
      async (request) => cardOnFile(deps(), request.actor, request.params.labId, request.query.orgId),
    );

    app.get(
      '/v1/orgs/:orgId/cards',
      documented(
        ['money'],
        { params: OrgIdParams, querystring: CardsQuery, answer: SavedCardPage, problems: [400, 401, 404] },
        'The organisation’s saved cards, one per lab at most (brand, last four digits, expiry — never card data)',
      ),
      async (request) => listCards(deps(), request.actor, request.params.orgId, request.query.labId),
    );

    app.delete(
      '/v1/orgs/:orgId/cards/:cardId',
      {
        schema: {
          tags: ['money'],
          summary: 'Removes a saved card: detached at the processor, so the lab can no longer charge it',
          params: OrgCardParams,
          response: { 204: Type.Null(), ...problems(400, 401, 404, 502) },
        },
      },
      async (request, reply) => {
        await removeCard(deps(), request.actor, request.params.orgId, request.params.cardId);
        return reply.code(204).send(null);
      },
    );
  };
}
