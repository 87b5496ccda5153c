import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { documented } from '../../lib/route.ts';
import { IdParams, problems } from '../../lib/schema.ts';
import {
  CalibrationListQuery,
  CalibrationRecordCreate,
  CalibrationRecordList,
  CalibrationRecordOut,
} from './schema.ts';
import * as calibration from './service.ts';

/** Calibration records of customers' own instruments, with next due dates. */
export const calibrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  app.get(
    '/v1/me/calibration-records',
    documented(
      ['calibration'],
      { querystring: CalibrationListQuery, answer: CalibrationRecordList, problems: [400, 401, 403] },
      "Calibration records of the caller's enterprise: next due date, days left, status",
    ),
    async (request) => calibration.myCalibrationRecords(deps(), request.actor, request.query),
  );

  app.get(
    '/v1/labs/:id/calibration-records',
    documented(
      ['calibration'],
      { params: IdParams, querystring: CalibrationListQuery, answer: CalibrationRecordList, problems: [400, 401, 403] },
      'Calibration certificates the lab issued (members of the lab)',
    ),
    async (request) => calibration.labCalibrationRecords(deps(), request.actor, request.params.id, request.query),
  );

  app.post(
    '/v1/labs/:id/calibration-records',
    {
      schema: {
        tags: ['calibration'],
        summary: 'Record a calibration certificate issued outside the platform (managers and staff)',
        description:
          'Only for an enterprise that has at least one order with this lab (else 422 `not_a_customer`). ' +
          "A record supersedes only the same lab's earlier records of the same serial number.",
        params: IdParams,
        body: CalibrationRecordCreate,
        response: { 201: CalibrationRecordOut, ...problems(400, 401, 403, 422) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await calibration.createCalibrationRecord(deps(), request.actor, request.params.id, request.body)),
  );
};
