// Calibration records, their shape, taken from the generated OpenAPI types.
import type { paths } from '$lib/api/schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;

export type CalibrationRecord = Ok<paths['/v1/me/calibration-records']['get']>['items'][number];
