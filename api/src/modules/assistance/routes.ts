import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Quality technical assistance (质量技术帮扶): requests, expert assignment, visit records. */
export const assistanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  void app;
};
