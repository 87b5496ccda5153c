import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { platformScopes } from '../lib/actor.ts';
import { regionPrefix } from '../lib/region.ts';
import { sendProblem } from './errors.ts';

export const BOARD_PATH = '/admin/queues';

/**
 * Bull Board for province-level platform admins only (401 for strangers, 403 for everyone else):
 * the queue is shared by every region, so a city or station admin must not see or steer it.
 */
export async function registerQueueBoard(app: FastifyInstance, queues: Queue[]): Promise<void> {
  const adapter = new FastifyAdapter();
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  adapter.setBasePath(BOARD_PATH);
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        if (!request.actor) return sendProblem(reply, 401, 'unauthenticated', 'Sign in as a platform administrator.');
        if (!platformScopes(request.actor).some((scope) => regionPrefix(scope).length === 2)) {
          return sendProblem(
            reply,
            403,
            'forbidden',
            'Only province-level platform administrators may see the queues.',
          );
        }
      });
      await scope.register(adapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
