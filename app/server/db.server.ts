export { getDb } from '#db/client.ts';
