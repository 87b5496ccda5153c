import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Service officers (服务专员): assignment to enterprises and the officer’s view of their requests. */
export const officerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  void app;
};
