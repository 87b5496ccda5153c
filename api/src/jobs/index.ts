export * from './contracts.ts';
export * from './registry.ts';
export * from './relay.ts';
export * from './handlers.ts';
export * from './queue.ts';
export * from './inline.ts';
