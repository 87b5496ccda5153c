import type { Api } from '$lib/server/api';
import type { components } from '$lib/api/schema';
import { text } from './forms';

export type FapiaoTitle = components['schemas']['FapiaoTitle'];
export type FapiaoRequest = components['schemas']['FapiaoRequest'];
export type FapiaoType = FapiaoTitle['type'];

/**
 * Fapiao (发票) for a paid invoice: the customer's invoice title and its requests to the lab. QIHub
 * does not talk to the tax system: the lab issues the fapiao there and records its number here.
 */
export async function loadFapiao(
  api: Api,
  invoice: { id: string; customerOrgId: string },
): Promise<{ title: FapiaoTitle | null; requests: FapiaoRequest[] }> {
  const [title, requests] = await Promise.all([
    api.GET('/v1/orgs/{orgId}/fapiao-title', { params: { path: { orgId: invoice.customerOrgId } } }),
    api.GET('/v1/fapiao-requests', { params: { query: { invoiceId: invoice.id, limit: 20 } } }),
  ]);
  return { title: title.data ?? null, requests: requests.data?.items ?? [] };
}

export const TITLE_FIELDS = ['type', 'name', 'taxpayerNumber', 'address', 'phone', 'bankName', 'bankAccount'] as const;

export function parseFapiaoTitle(form: FormData): {
  body: components['schemas']['FapiaoTitleInput'] | null;
  errors: Record<string, string>;
  values: Record<string, string>;
} {
  const values = Object.fromEntries(TITLE_FIELDS.map((f) => [f, text(form, f)])) as Record<
    (typeof TITLE_FIELDS)[number],
    string
  >;
  const errors: Record<string, string> = {};
  if (values.type !== 'normal' && values.type !== 'special') errors.type = 'invalid_value';
  if (!values.name) errors.name = 'required';
  if (!values.taxpayerNumber) errors.taxpayerNumber = 'required';
  if (Object.keys(errors).length > 0) return { body: null, errors, values };
  return {
    body: {
      type: values.type as FapiaoType,
      name: values.name,
      taxpayerNumber: values.taxpayerNumber.toUpperCase(),
      address: values.address,
      phone: values.phone,
      bankName: values.bankName,
      bankAccount: values.bankAccount,
    },
    errors,
    values,
  };
}
