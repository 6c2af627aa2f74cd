import type { Migration } from './index.js';

/**
 * Attempts lose their foreign key to deliveries and its index, `attempts_delivery_id`, which no
 * query reads: the key ran a check per attempt written, in every outcome commit. An attempt is
 * written only with its delivery row locked (COMPLETE, src/store/postgres/outbox-complete.ts), and
 * the only deletes of delivery rows, an endpoint's or an application's, delete their attempts by
 * endpoint after them (deleteDeliveriesOf, src/store/catalog/endpoints.ts).
 */
export const migration0017: Migration = {
  version: 17,
  name: 'attempts-without-delivery-key',
  sql: `
ALTER TABLE attempts DROP CONSTRAINT attempts_delivery_id_fkey;
DROP INDEX attempts_delivery_id;
`,
};
