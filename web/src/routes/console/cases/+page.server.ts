import { casesOf, createCase } from '$lib/cases/cases.server';
import { labRights, requireLabMember } from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

/** 典型案例: the lab's typical cases; managers and staff write new ones for the platform to publish. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  return { cases: await casesOf(locals.api, lab.orgId), canWrite: labRights(lab).settings, lab: lab.orgId };
};

export const actions: Actions = {
  create: async ({ locals, url, request }) => {
    const lab = requireLabMember(locals, url);
    return createCase(locals.api, lab.orgId, await request.formData(), '/console/cases', `?lab=${lab.orgId}`);
  },
};
