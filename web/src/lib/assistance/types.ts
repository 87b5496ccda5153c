// Technical assistance and the service officer's desk, their shapes, taken from the generated OpenAPI types.
import type { paths } from '$lib/api/schema';
import type { Ok } from '$lib/api-response';

export type Assistance = Ok<paths['/v1/assistance-requests/{id}']['get']>;
export type AssistanceStatus = Assistance['status'];
export type AssistanceVisit = Assistance['visits'][number];
export type OfficerEnterprise = Ok<paths['/v1/officer/enterprises']['get']>['items'][number];
export type OfficerRequest = Ok<paths['/v1/officer/requests']['get']>['items'][number];
export type EnterpriseOfficer = Ok<paths['/v1/enterprises/{id}/officer']['get']>;
