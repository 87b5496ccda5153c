import type { DbOrTx } from '@qihub/db';
import { findOrganisationNames } from '../../lib/repository/organisation-names.ts';
import { findContacts, findVisitsOf, type AssistanceRequest as Request } from './repository.ts';

/** Requests as the API shows them: with enterprise, people, visits and problem counts. */
export async function views(tx: DbOrTx, requests: Request[]) {
  if (requests.length === 0) return [];
  const ids = requests.map((r) => r.id);
  const userIds = [
    ...new Set(
      requests.flatMap((r) => [r.requestedBy, r.officerUserId, r.expertUserId]).filter((x): x is string => !!x),
    ),
  ];
  const visits = await findVisitsOf(tx, ids);
  const people = new Map((await findContacts(tx, userIds)).map((u) => [u.id, u]));
  const orgs = new Map(
    (await findOrganisationNames(tx, [...new Set(requests.map((r) => r.enterpriseId))])).map((o) => [o.id, o]),
  );
  return requests.map((r) => {
    const own = visits
      .filter((v) => v.v.requestId === r.id)
      .map(({ v, name }) => ({
        id: v.id,
        visitedOn: v.visitedOn,
        recordedBy: { id: v.recordedBy, name },
        notesZh: v.notesZh,
        problemsFound: v.problemsFound,
        problemsSolved: v.problemsSolved,
        createdAt: v.createdAt.toISOString(),
      }));
    const requester = people.get(r.requestedBy);
    const officer = r.officerUserId ? people.get(r.officerUserId) : undefined;
    const expertUser = r.expertUserId ? people.get(r.expertUserId) : undefined;
    return {
      id: r.id,
      enterprise: orgs.get(r.enterpriseId)!,
      requestedBy: { id: r.requestedBy, name: requester?.name ?? '' },
      titleZh: r.titleZh,
      problemZh: r.problemZh,
      trigger: r.trigger,
      productZh: r.productZh,
      status: r.status,
      officer: officer ?? null,
      expert: expertUser
        ? { id: expertUser.id, name: expertUser.name }
        : r.expertName
          ? { id: null, name: r.expertName }
          : null,
      visits: own,
      problemsFound: own.reduce((s, v) => s + v.problemsFound, 0),
      problemsSolved: own.reduce((s, v) => s + v.problemsSolved, 0),
      assignedAt: r.assignedAt?.toISOString() ?? null,
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      closedAt: r.closedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

export async function viewOf(tx: DbOrTx, request: Request) {
  return (await views(tx, [request]))[0]!;
}
