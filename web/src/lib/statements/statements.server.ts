import { error } from '@sveltejs/kit';
import type { components } from '$lib/api/schema';
import { problemCode } from '$lib/finance/finance.server';
import type { Api } from '$lib/server/api';
import { fileHeaders } from '$lib/server/files';

export type Statement = components['schemas']['Statement'];
export type StatementSummary = components['schemas']['StatementSummary'];
export type StatementFormat = 'pdf' | 'xlsx';

export function isFileFormat(value: string | null): value is StatementFormat {
  return value === 'pdf' || value === 'xlsx';
}

/** Whose statement: the lab's own month, or a customer's account with one lab. */
export type StatementScope = { labId: string } | { customerOrgId: string; labId: string };

type Init = { params: { path: Record<string, string>; query?: Record<string, string> }; parseAs?: 'stream' };
type Answer = { data?: unknown; error?: unknown; response: Response };
/** A path-agnostic view of the client: the statement routes answer JSON, PDF or XLSX from one path. */
const loose = (api: Api) => api as unknown as { GET(path: string, init: Init): Promise<Answer> };

function request(scope: StatementScope, month: string, format: 'json' | StatementFormat): [string, Init] {
  if ('customerOrgId' in scope) {
    return [
      '/v1/customers/{orgId}/statements/{month}',
      { params: { path: { orgId: scope.customerOrgId, month }, query: { labId: scope.labId, format } } },
    ];
  }
  return [
    '/v1/labs/{labId}/statements/{month}',
    { params: { path: { labId: scope.labId, month }, query: { format } } },
  ];
}

/** The lab's stored statements (newest first), or null when refused. */
export async function storedStatements(api: Api, labId: string): Promise<StatementSummary[] | null> {
  const { data } = await api.GET('/v1/labs/{labId}/statements', {
    params: { path: { labId }, query: { limit: 100 } },
  });
  return data?.items ?? null;
}

/** One month's statement as JSON, or the problem code the API answered with. */
export async function readStatement(
  api: Api,
  scope: StatementScope,
  month: string,
): Promise<{ ok: true; statement: Statement } | { ok: false; status: number; code: string }> {
  const [path, init] = request(scope, month, 'json');
  const { data, error: problem, response } = await loose(api).GET(path, init);
  if (response.ok && data) return { ok: true, statement: data as Statement };
  return { ok: false, status: response.status, code: problemCode(problem, response.status) };
}

/**
 * The statement's PDF or workbook, fetched with the visitor's session (the browser holds only the
 * session cookie) and streamed on with the API's file name and hash.
 */
export async function proxyStatementFile(
  api: Api,
  scope: StatementScope,
  month: string,
  format: StatementFormat,
): Promise<Response> {
  const [path, init] = request(scope, month, format);
  const { data, error: problem, response } = await loose(api).GET(path, { ...init, parseAs: 'stream' });
  if (!response.ok || !data) {
    const status = [401, 403, 404, 409].includes(response.status) ? response.status : 502;
    error(status, { message: 'Statement unavailable', code: problemCode(problem, response.status) });
  }
  return new Response(data as ReadableStream, {
    headers: fileHeaders(response.headers, `statement-${month}.${format}`),
  });
}
