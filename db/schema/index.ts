export * from './tenants.ts';
export * from './users.ts';
export * from './api-keys.ts';
export * from './customers.ts';
export * from './products.ts';
export * from './orders.ts';
export * from './events.ts';
export * from './identity.ts';
