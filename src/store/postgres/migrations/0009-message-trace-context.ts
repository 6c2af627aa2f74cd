import type { Migration } from './index.js';

/**
 * The W3C `traceparent` a message was accepted under (Message.traceContext), so the worker that
 * delivers it, in any process, continues the ingest trace. NULL while tracing is off (the
 * default); a nullable column without a default is added without rewriting the table.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'message-trace-context',
  sql: `
ALTER TABLE messages ADD COLUMN trace_context text;
`,
};
