import { need } from '$lib/server/api';
import { requireLabMember } from '$lib/lab-console/console.server';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The lab's check-in labels laid out for printing (every instrument in service, or `?instrument=`
 * one): each a QR code of the public check-in page, drawn by the API with the product's web origin.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const wanted = url.searchParams.get('instrument');
  const instrumentId = wanted && UUID.test(wanted) ? wanted : undefined;
  const labels = await need(
    locals.api.GET('/v1/labs/{labId}/checkin-labels', {
      params: { path: { labId: lab.orgId }, query: instrumentId ? { instrumentId } : {} },
    }),
  );
  return {
    lab,
    instrumentId: instrumentId ?? null,
    labels: labels.items.map(({ qrSvg, ...label }) => ({
      ...label,
      // An <img> of the API's SVG: no markup of another origin is put into the page.
      qrSrc: `data:image/svg+xml;base64,${Buffer.from(qrSvg, 'utf8').toString('base64')}`,
      shortUrl: label.url.replace(/^https?:\/\//, ''),
    })),
  };
};
