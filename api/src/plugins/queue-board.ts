import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { isPlatformOperator } from '../modules/auth/index.ts';
import { sendProblem } from './errors.ts';

export const BOARD_PATH = '/admin/queues';

/**
 * Bull Board for the platform-wide operators only (401 for strangers, 403 for everyone else): the
 * queue is shared by every region and shows and steers all their jobs, so no region's admin — of a
 * province, a city or a station — may see it.
 */
export async function registerQueueBoard(app: FastifyInstance, queues: Queue[]): Promise<void> {
  const adapter = new FastifyAdapter();
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  adapter.setBasePath(BOARD_PATH);
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        if (!request.actor) return sendProblem(reply, 401, 'unauthenticated', 'Sign in as a platform operator.');
        if (!(await isPlatformOperator({ db: app.ctx.db }, request.actor))) {
          return sendProblem(reply, 403, 'forbidden', 'Only the platform-wide operators may see the queues.');
        }
      });
      await scope.register(adapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
