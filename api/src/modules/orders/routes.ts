import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Orders: request, quote, accept with the commission form, samples, scheduling, cancellation, objections. */
export const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  void app;
};
