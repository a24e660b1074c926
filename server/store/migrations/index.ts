import flows from './001_flows.js';

/** Ordered migrations; append only. Each runs once, in a transaction, recorded in schema_migrations. */
export const migrations: { id: string; sql: string }[] = [{ id: '001_flows', sql: flows }];
