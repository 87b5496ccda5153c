import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Training courses and events: sessions, seats, registration, waitlist, attendance. */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  void app;
};
