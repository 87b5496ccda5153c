import type { DbOrTx, Service } from '@qihub/db';
import { unprocessable } from '../../lib/errors.ts';
import { activeServicesOfLab, labsOfServices } from './repository/parties.ts';

/**
 * A request (委托) may hold several services of one lab — a salt-spray test and a coating-thickness
 * measurement of the same panels — quoted, commissioned and paid as one order (at most
 * MAX_REQUEST_LINES of them, see schema.ts; the lab may add lines when it quotes).
 *
 * The active services of the lab the request names, by id, or the first problem of its lines: a
 * service twice (`duplicate_service`: one line carries all its samples), a service of another lab
 * (`service_of_other_lab`: one order is one lab's, so it has one quote and one commission form),
 * or one the lab does not offer now (`service_not_offered`: unknown or retired).
 */
export async function servicesOfRequest(
  db: DbOrTx,
  labId: string,
  lines: readonly { serviceId: string }[],
): Promise<Map<string, Service>> {
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (seen.has(l.serviceId)) {
      throw unprocessable('duplicate_service', 'The request names the same service twice.', [
        { path: `/lines/${i}/serviceId`, code: 'duplicate_service', message: '同一项服务只能出现一次' },
      ]);
    }
    seen.add(l.serviceId);
  });
  const ids = [...seen];
  const offered = await activeServicesOfLab(db, labId, ids);
  const byId = new Map(offered.map((s) => [s.id, s]));
  if (byId.size === ids.length) return byId;
  const owners = new Map((await labsOfServices(db, ids)).map((s) => [s.id, s.labId]));
  const foreign = lines.findIndex(
    (l) => !byId.has(l.serviceId) && owners.has(l.serviceId) && owners.get(l.serviceId) !== labId,
  );
  if (foreign >= 0) {
    throw unprocessable('service_of_other_lab', 'One request holds services of one lab only.', [
      { path: `/lines/${foreign}/serviceId`, code: 'service_of_other_lab', message: '该服务属于另一家实验室' },
    ]);
  }
  const missing = lines.findIndex((l) => !byId.has(l.serviceId));
  throw unprocessable('service_not_offered', 'This lab does not offer one of the services (or it is retired).', [
    { path: `/lines/${missing}/serviceId`, code: 'service_not_offered', message: '该实验室未提供此服务' },
  ]);
}
