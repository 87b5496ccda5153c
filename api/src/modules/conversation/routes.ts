import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Messages and attachments on an order between customer and lab; ratings after closing. */
export const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  void app;
};
