import { fail, redirect } from '@sveltejs/kit';
import { loadCityGroups } from '$lib/server/regions';
import { fieldErrorsFromProblem, formText, preferRequired } from '$lib/server/problem';
import { setSessionCookie } from '$lib/server/session';
import {
  ENTERPRISE_SIZES,
  INDUSTRY_SECTIONS,
  LAB_TYPES,
  type EnterpriseSize,
  type LabType,
  type Problem,
  type RegisterInput,
} from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const REGISTER_FIELDS = [
  'kind',
  'email',
  'password',
  'displayName',
  'nameZh',
  'nameEn',
  'creditCode',
  'regionCode',
  'labType',
  'size',
  'industryCode',
] as const;

/** The `?email=` of an invitation link, if it looks like an address (the API checks it on submit). */
function invitedEmail(raw: string | null): string {
  const email = (raw ?? '').trim();
  return email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : '';
}

export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.user) redirect(303, '/');
  return {
    kind: url.searchParams.get('kind') === 'lab' ? ('lab' as const) : ('enterprise' as const),
    // A lab's invitation e-mail links here with the invited address: start from it (still editable).
    email: invitedEmail(url.searchParams.get('email')),
    regionGroups: await loadCityGroups(locals.api),
  };
};

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const form = await request.formData();
    const values = Object.fromEntries(REGISTER_FIELDS.map((f) => [f, formText(form, f)])) as Record<
      (typeof REGISTER_FIELDS)[number],
      string
    >;
    const password = typeof form.get('password') === 'string' ? (form.get('password') as string) : '';
    // Credit codes are printed in groups and sometimes typed in lower case; the check character is upper case.
    values.creditCode = values.creditCode.replace(/\s+/g, '').toUpperCase();
    const kind = values.kind === 'lab' ? 'lab' : 'enterprise';

    const body: RegisterInput = {
      kind,
      email: values.email,
      password,
      displayName: values.displayName,
      locale: locals.locale,
      organisation: {
        nameZh: values.nameZh,
        ...(values.nameEn ? { nameEn: values.nameEn } : {}),
        creditCode: values.creditCode,
        regionCode: values.regionCode,
        ...(kind === 'lab' && (LAB_TYPES as readonly string[]).includes(values.labType)
          ? { labType: values.labType as LabType }
          : {}),
        // The size class and industry feed the programme's statistics; the form asks for both.
        ...(kind === 'enterprise' && (ENTERPRISE_SIZES as readonly string[]).includes(values.size)
          ? { size: values.size as EnterpriseSize }
          : {}),
        ...(kind === 'enterprise' && (INDUSTRY_SECTIONS as readonly string[]).includes(values.industryCode)
          ? { industryCode: values.industryCode }
          : {}),
      },
    };
    const { data, error, response } = await locals.api.POST('/v1/auth/register', { body });
    if (!data) {
      const problem = error as Partial<Problem> | undefined;
      const { fieldErrors, unplaced } = fieldErrorsFromProblem(problem, REGISTER_FIELDS, {
        email_taken: 'email',
        credit_code_taken: 'creditCode',
        invalid_credit_code: 'creditCode',
      });
      const { password: _pw, ...echo } = values;
      return fail(response.status === 429 ? 429 : 400, {
        values: echo,
        code: unplaced ? (problem?.code ?? 'unknown') : null,
        fieldErrors: preferRequired(fieldErrors, { ...values, password }),
      });
    }
    setSessionCookie(cookies, data.token, data.expiresAt, url.protocol === 'https:');
    redirect(303, `/?welcome=${kind}`);
  },
};
