// The wider catalogue's shapes, taken from the generated OpenAPI types.
import type { paths } from '$lib/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;

export type CalibrationRecord = Ok<paths['/v1/me/calibration-records']['get']>['items'][number];
export type Assistance = Ok<paths['/v1/assistance-requests/{id}']['get']>;
export type AssistanceStatus = Assistance['status'];
export type AssistanceVisit = Assistance['visits'][number];
export type OfficerEnterprise = Ok<paths['/v1/officer/enterprises']['get']>['items'][number];
export type OfficerRequest = Ok<paths['/v1/officer/requests']['get']>['items'][number];
export type EnterpriseOfficer = Ok<paths['/v1/enterprises/{id}/officer']['get']>;
export type EventView = Ok<paths['/v1/events/{id}']['get']>;
export type EventSession = EventView['sessions'][number];
export type Registration = Ok<paths['/v1/me/registrations']['get']>['items'][number];
export type SessionRegistrants = Ok<paths['/v1/event-sessions/{id}/registrations']['get']>;
export type Registrant = SessionRegistrants['items'][number];
