import { need, type Api } from '$lib/server/api';
import { done, invalidQi, refusedQi, requireSignedIn, text, UUID } from '$lib/server/actions';

/** The lab's events (drafts, past and cancelled ones included), newest first. */
export async function labEvents(api: Api, labId: string) {
  return (await need(api.GET('/v1/events', { params: { query: { organiserOrgId: labId } } }))).items;
}

/** publish / cancel on one event, from a form with its id; back to `back` with a flash. */
export async function eventTransition(
  event: { request: Request; locals: App.Locals; url: URL },
  verb: 'publish' | 'cancel',
  back: (id: string) => string,
) {
  requireSignedIn(event.locals, event.url);
  const id = text(await event.request.formData(), 'eventId');
  if (!UUID.test(id)) return invalidQi(verb, 'validation_failed', { eventId: id });
  const path = verb === 'publish' ? '/v1/events/{id}/publish' : '/v1/events/{id}/cancel';
  const { error: problem, response } = await event.locals.api.POST(path, { params: { path: { id } } });
  if (!response.ok) return refusedQi(verb, problem, response.status, { eventId: id });
  done(back(id), verb === 'publish' ? 'published' : 'cancelled');
}
