import type { components } from '../../shared/api.js';

export type EventTypeOut = components['schemas']['EventTypeOut'];
type Schemas = NonNullable<EventTypeOut['schemas']>;

export interface EventTypeFormValues {
  name: string;
  description: string;
  /** The JSON Schema of the edited version, without its `examples`. */
  schema: string;
  /** Its first example, which send-example delivers. */
  example: string;
}

export type EventTypeField = keyof EventTypeFormValues;
export type EventTypeErrors = Partial<Record<EventTypeField, string>>;

/**
 * What the form edits of an event type: `schemas` is keyed by version ("1", "2", …); the form
 * edits the highest one ("1" for a new type) and keeps the others as they are. The example is
 * that version's `examples[0]`; further examples are kept after it.
 */
export interface EventTypeDraft {
  values: EventTypeFormValues;
  version: string;
  /** Every stored version, untouched until saved. */
  schemas: Schemas;
  /** `examples` after the first, kept as they are. */
  moreExamples: unknown[];
}

const NAME = /^[a-zA-Z0-9\-_.]+$/;

export function newDraft(): EventTypeDraft {
  return {
    values: { name: '', description: '', schema: '', example: '' },
    version: '1',
    schemas: {},
    moreExamples: [],
  };
}

export function draftOf(type: EventTypeOut): EventTypeDraft {
  const schemas = type.schemas ?? {};
  const versions = Object.keys(schemas).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const version = versions[versions.length - 1] ?? '1';
  const { examples, ...schema } = schemas[version] ?? {};
  const list = Array.isArray(examples) ? examples : [];
  return {
    values: {
      name: type.name,
      description: type.description,
      schema: Object.keys(schema).length > 0 ? JSON.stringify(schema, null, 2) : '',
      example: list.length > 0 ? JSON.stringify(list[0], null, 2) : '',
    },
    version,
    schemas,
    moreExamples: list.slice(1),
  };
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the form on the client and builds the `schemas` to send: null when no version is left.
 * The server still compiles the schema and validates the example against it (422 at the field).
 */
export function buildEventType(
  draft: EventTypeDraft,
  values: EventTypeFormValues,
  isNew: boolean,
): { errors: EventTypeErrors } | { errors: null; schemas: Schemas | null } {
  const errors: EventTypeErrors = {};
  const name = values.name.trim();
  if (isNew) {
    if (!name) errors.name = 'Enter a name, e.g. invoice.paid.';
    else if (!NAME.test(name)) errors.name = 'Letters, digits, "-", "_" and "." only.';
    else if (name.length > 256) errors.name = 'At most 256 characters.';
  }
  if (values.description.length > 8192) errors.description = 'At most 8,192 characters.';

  let schema: Record<string, unknown> | null = null;
  if (values.schema.trim()) {
    const parsed = parseJson(values.schema);
    if ('error' in parsed) errors.schema = parsed.error;
    else if (!isObject(parsed.value)) errors.schema = 'A JSON Schema is an object, e.g. {"type": "object"}.';
    else schema = parsed.value;
  }
  let example: Record<string, unknown> | null = null;
  if (values.example.trim()) {
    const parsed = parseJson(values.example);
    if ('error' in parsed) errors.example = parsed.error;
    else if (!isObject(parsed.value)) errors.example = 'The example is a message payload: a JSON object.';
    else example = parsed.value;
  }
  if (Object.keys(errors).length > 0) return { errors };

  const schemas: Schemas = { ...draft.schemas };
  const { examples: typed, ...rest } = schema ?? {};
  // The example field wins; `examples` typed into the schema itself are kept when it is empty.
  const examples = example ? [example, ...draft.moreExamples] : Array.isArray(typed) ? typed : draft.moreExamples;
  if (Object.keys(rest).length > 0 || examples.length > 0) {
    schemas[draft.version] = examples.length > 0 ? { ...rest, examples } : rest;
  } else {
    delete schemas[draft.version];
  }
  return { errors: null, schemas: Object.keys(schemas).length > 0 ? schemas : null };
}

/** The form field a server 422's `loc` (e.g. `schemas.1.examples.0`) belongs to. */
export function eventTypeFieldOf(loc: string): EventTypeField | null {
  if (loc.startsWith('schemas')) return /(^|\.)examples(\.|$)/.test(loc) ? 'example' : 'schema';
  if (loc === 'name' || loc === 'description') return loc;
  return null;
}
