import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, problems } from '../../lib/schema.ts';
import {
  LiftBody,
  Standing,
  StandingParams,
  TrainingRecordCreate,
  TrainingRecordList,
  TrainingRecordOut,
  TrainingRecordQuery,
  ViolationsOut,
} from './schema.ts';
import * as standing from './service.ts';

/** Training records and violations of users at a lab (its managers and staff), and one's own records. */
export const trainingAndViolationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/labs/:id/training-records',
    {
      schema: {
        tags: ['standing'],
        summary: "The lab's training records (managers and staff of the lab)",
        params: IdParams,
        querystring: TrainingRecordQuery,
        response: { 200: TrainingRecordList, ...problems(400, 401, 403) },
      },
    },
    async (request) => standing.listLabTrainingRecords(deps(), request.actor, request.params.id, request.query),
  );

  app.post(
    '/v1/labs/:id/training-records',
    {
      schema: {
        tags: ['standing'],
        summary:
          'Record that a person the lab knows (by email) is trained on one of the lab’s instruments; anyone else is 404',
        params: IdParams,
        body: TrainingRecordCreate,
        response: { 201: TrainingRecordOut, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await standing.createTrainingRecord(deps(), request.actor, request.params.id, request.body)),
  );

  app.post(
    '/v1/training-records/:id/revoke',
    {
      schema: {
        tags: ['standing'],
        summary: 'Revoke a training record (managers and staff of its lab)',
        params: IdParams,
        response: { 200: TrainingRecordOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => standing.revokeTrainingRecord(deps(), request.actor, request.params.id),
  );

  app.get(
    '/v1/me/training-records',
    {
      schema: {
        tags: ['standing'],
        summary: "The caller's own training records (which instruments they may self-operate)",
        response: { 200: TrainingRecordList, ...problems(401, 403) },
      },
    },
    async (request) => standing.myTrainingRecords(deps(), request.actor),
  );

  app.get(
    '/v1/labs/:id/violations',
    {
      schema: {
        tags: ['standing'],
        summary: "The lab's booking violations in its window and each user's standing (managers and staff)",
        params: IdParams,
        response: { 200: ViolationsOut, ...problems(400, 401, 403) },
      },
    },
    async (request) => standing.labViolations(deps(), request.actor, request.params.id),
  );

  app.post(
    '/v1/labs/:id/standings/:userId/lift',
    {
      schema: {
        tags: ['standing'],
        summary:
          'Lift the block of a user the lab knows: earlier violations stop counting (lab managers); anyone else is 404',
        params: StandingParams,
        body: LiftBody,
        response: { 200: Standing, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      standing.liftBlock(deps(), request.actor, request.params.id, request.params.userId, request.body.reason),
  );
};
