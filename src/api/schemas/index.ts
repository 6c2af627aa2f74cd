import type { TSchema } from '@sinclair/typebox';
import * as application from './application.js';
import * as auth from './auth.js';
import * as backgroundTask from './background-task.js';
import * as common from './common.js';
import * as deadLetter from './dead-letter.js';
import * as endpoint from './endpoint.js';
import * as eventType from './event-type.js';
import * as message from './message.js';
import * as operationalWebhook from './operational-webhook.js';
import * as operator from './operator.js';
import * as settings from './settings.js';
import * as stats from './stats.js';
import * as usage from './usage.js';

/** Every named model (a schema with `$id`), registered once on the app and on both validators. */
export const MODELS: TSchema[] = [
  common,
  application,
  eventType,
  endpoint,
  message,
  auth,
  settings,
  stats,
  operator,
  operationalWebhook,
  backgroundTask,
  deadLetter,
  usage,
]
  .flatMap((mod) => Object.values(mod))
  .filter((v): v is TSchema => typeof v === 'object' && v !== null && typeof (v as TSchema).$id === 'string');
