// Events, sessions and registrations, their shapes, taken from the generated OpenAPI types.
import type { paths } from '$lib/api/schema';
import type { Ok } from '$lib/api-response';

export type EventView = Ok<paths['/v1/events/{id}']['get']>;
export type EventSession = EventView['sessions'][number];
export type Registration = Ok<paths['/v1/me/registrations']['get']>['items'][number];
export type SessionRegistrants = Ok<paths['/v1/event-sessions/{id}/registrations']['get']>;
export type Registrant = SessionRegistrants['items'][number];
