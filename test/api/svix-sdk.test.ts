import { postgresAvailable } from '../support/postgres.js';
import { openSqliteStore } from './api-harness.js';
import { runSvixSdkSuite } from './svix-sdk.suite.js';
import { openPostgresStore } from './postgres-harness.js';

runSvixSdkSuite('SQLite', openSqliteStore);
runSvixSdkSuite('PostgreSQL', async () => ((await postgresAvailable()) ? openPostgresStore() : null));
