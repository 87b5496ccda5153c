import { emailChoicesFrom } from '$lib/inbox/inbox';
import { done, refusedQi, requireSignedIn, text, UUID, invalidQi } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

/** 消息中心: everyone's notices, newest first, with mark read (one, all) and the e-mail choices. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requireSignedIn(locals, url);
  const unreadOnly = url.searchParams.get('show') === 'unread';
  const cursor = url.searchParams.get('cursor');
  const [list, prefs] = await Promise.all([
    locals.api.GET('/v1/notifications', {
      params: { query: { limit: 30, ...(unreadOnly ? { unread: true } : {}), ...(cursor ? { cursor } : {}) } },
    }),
    locals.api.GET('/v1/me/notification-preferences'),
  ]);
  return {
    unreadOnly,
    onFirstPage: !cursor,
    notices: list.data?.items ?? [],
    nextCursor: list.data?.nextCursor ?? null,
    // A cursor that no longer reads (or a refusal) shows an empty page with the way back, not a 500.
    listFailed: !list.data,
    email: prefs.data?.email ?? null,
    flash: url.searchParams.get('flash'),
  };
};

const back = (url: URL) => (url.searchParams.get('show') === 'unread' ? '/inbox?show=unread' : '/inbox');

export const actions: Actions = {
  read: async ({ locals, url, request }) => {
    requireSignedIn(locals, url);
    const id = text(await request.formData(), 'id');
    if (!UUID.test(id)) return invalidQi('read', 'not_found');
    const res = await locals.api.POST('/v1/notifications/{id}/read', { params: { path: { id } } });
    if (!res.data) return refusedQi('read', res.error, res.response.status);
    done(back(url), 'read');
  },
  readAll: async ({ locals, url }) => {
    requireSignedIn(locals, url);
    const res = await locals.api.POST('/v1/notifications/read-all');
    if (!res.data) return refusedQi('readAll', res.error, res.response.status);
    done(back(url), 'allRead');
  },
  email: async ({ locals, url, request }) => {
    requireSignedIn(locals, url);
    const email = emailChoicesFrom(await request.formData());
    const res = await locals.api.PUT('/v1/me/notification-preferences', { body: { email } });
    if (!res.data) return refusedQi('email', res.error, res.response.status);
    done('/inbox', 'emailSaved');
  },
};
