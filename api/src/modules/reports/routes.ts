import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Test reports and calibration certificates: compose, review, sign, issue, replace, revoke, download, verify. */
export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  void app;
};
