import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Api } from '$lib/server/api';
import type { components } from '$lib/api/schema';

/*
 * Cards on file (留存银行卡): a customer saves a card with a lab once, on the lab's own payment page
 * (Stripe Checkout in setup mode); the lab's booking charges are then made to it at check-out. Here:
 * what the pages load and the two form actions (save → the processor's page, remove).
 */
export type SavedCard = components['schemas']['SavedCard'];
export type CardOnFile = components['schemas']['CardOnFile'];

/** Whether a card can be saved with the lab now, and the card in use; null when the API says no. */
export async function loadCardOnFile(api: Api, labId: string, orgId: string): Promise<CardOnFile | null> {
  const { data } = await api.GET('/v1/labs/{labId}/card-on-file', {
    params: { path: { labId }, query: { orgId } },
  });
  return data ?? null;
}

export async function loadCards(api: Api, orgId: string): Promise<SavedCard[]> {
  const { data } = await api.GET('/v1/orgs/{orgId}/cards', { params: { path: { orgId } } });
  return data?.items ?? [];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `?/saveCard`: form fields labId and orgId; sends the browser to the processor's setup page. */
export async function saveCardAction({ locals, request }: RequestEvent, returnTo: string) {
  const form = await request.formData();
  const labId = String(form.get('labId') ?? '');
  const orgId = String(form.get('orgId') ?? '');
  if (!UUID.test(labId) || !UUID.test(orgId))
    return fail(400, { action: 'saveCard', code: 'validation_failed', detail: null });
  const { data, error, response } = await locals.api.POST('/v1/labs/{labId}/card-setup', {
    params: { path: { labId } },
    body: { orgId, returnTo },
  });
  if (!data) {
    const p = error as { code?: string; detail?: string } | undefined;
    return fail(response.status >= 500 ? 502 : response.status, {
      action: 'saveCard',
      code: p?.code ?? 'bad_request',
      detail: p?.detail ?? null,
    });
  }
  redirect(303, data.url);
}

/** `?/removeCard`: form fields orgId and cardId. */
export async function removeCardAction({ locals, request }: RequestEvent, back: string) {
  const form = await request.formData();
  const orgId = String(form.get('orgId') ?? '');
  const cardId = String(form.get('cardId') ?? '');
  if (!UUID.test(orgId) || !UUID.test(cardId))
    return fail(400, { action: 'removeCard', code: 'validation_failed', detail: null });
  const { error, response } = await locals.api.DELETE('/v1/orgs/{orgId}/cards/{cardId}', {
    params: { path: { orgId, cardId } },
  });
  if (!response.ok) {
    const p = error as { code?: string; detail?: string } | undefined;
    return fail(response.status >= 500 ? 502 : response.status, {
      action: 'removeCard',
      code: p?.code ?? 'bad_request',
      detail: p?.detail ?? null,
    });
  }
  redirect(303, `${back}${back.includes('?') ? '&' : '?'}card=removed`);
}
