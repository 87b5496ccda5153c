export * from './enums.ts';
export * from './orgs.ts';
export * from './labs.ts';
export * from './platform.ts';
export * from './bookings.ts';
export * from './orders.ts';
export * from './qi-services.ts';
