import type { Migration } from './index.js';

/**
 * Background tasks (Svix's `qtask_`): a replay or recovery that runs in chunks on any worker.
 * A chunk's effects and the task's `cursor` and progress (`data`) commit together, so a task
 * resumes where it stopped after a crash and never re-queues a row twice. `lease_*`: which
 * process runs it now; an expired lease lets another take it over.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'background-tasks',
  sql: `
CREATE TABLE background_tasks (
  id text COLLATE "C" PRIMARY KEY,
  kind text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  app_id text COLLATE "C" NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  endpoint_id text COLLATE "C" REFERENCES endpoints (id) ON DELETE CASCADE,
  params jsonb NOT NULL,
  data jsonb NOT NULL,
  cursor text COLLATE "C",
  lease_owner text,
  lease_expires_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX background_tasks_running ON background_tasks (id) WHERE status = 'running';
`,
};
