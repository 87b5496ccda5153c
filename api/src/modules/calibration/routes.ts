import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Calibration records of customers' own instruments, with next due dates. */
export const calibrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  void app;
};
