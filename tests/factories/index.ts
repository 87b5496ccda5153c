/**
 * Factories and scenario helpers for the integration tests: labs, instruments, people, bookings
 * and orders made through the real API (and, for what only a seed sets, the same SQL the tests
 * used before), never mocks. Import from here: `import { aLab, anInstrument, anOrder } from '../factories/index.ts'`.
 */
export { expectProblem, type ProblemBody } from '../support/app.ts';
export { USERS, orgOf } from '../support/scenario.ts';
export * from './bookings.ts';
export * from './labs.ts';
export * from './orders.ts';
export * from './people.ts';
export * from './world.ts';
