import type { components } from '../shared/api.js';

export type EventType = components['schemas']['EventTypeOut'];

/**
 * An event type's current schema: `schemas` is keyed by version ("1", "2", …) and the highest
 * version is the one producers send. Its `examples` are what send-example delivers (index 0).
 */
export interface CurrentSchema {
  version: string;
  /** The schema without its `examples`, which are shown on their own. */
  schema: Record<string, unknown>;
  examples: unknown[];
}

export function currentSchema(type: Pick<EventType, 'schemas'>): CurrentSchema | null {
  const versions = Object.keys(type.schemas ?? {});
  if (versions.length === 0 || !type.schemas) return null;
  const version = versions.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))[versions.length - 1];
  const { examples, ...schema } = type.schemas[version] ?? {};
  return { version, schema, examples: Array.isArray(examples) ? examples : [] };
}

export function firstExample(type: Pick<EventType, 'schemas'>): unknown {
  return currentSchema(type)?.examples[0];
}

export function hasExample(type: Pick<EventType, 'schemas'>): boolean {
  return (currentSchema(type)?.examples.length ?? 0) > 0;
}
