import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ValidationError, type ValidationIssue } from '../errors.js';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * An event type's `schemas` ({version: JSON Schema}) must be usable: each version compiles as
 * JSON Schema of the dialect its `$schema` names (draft-07 when it names none; 2019-09 and
 * 2020-12 too), and every entry of its `examples` validates against it — send-example sends
 * those entries, so a wrong one would reach receivers as a real-looking payload. Every problem
 * is reported, each with its `loc` (`["body", "schemas", "1", "examples", 0]`).
 *
 * One ajv instance per dialect, made on first use (its meta-schema costs tens of milliseconds to
 * compile); each schema is removed from it once checked, so the instance does not grow with
 * every update and two versions (or two requests) may use the same `$id`. A `$ref` is resolved
 * only inside the schema: nothing is fetched.
 */

// strict off: annotations and keywords other tools add (`x-...`, `deprecated` in draft-07) are not errors.
const OPTIONS = { strict: false, allErrors: true, validateSchema: true } as const;

function withFormats<T extends Ajv>(ajv: T): T {
  addFormats(ajv);
  return ajv;
}

const DIALECTS: Array<{ match: RegExp; make: () => Ajv }> = [
  { match: /json-schema\.org\/draft-07\/schema/, make: () => withFormats(new Ajv(OPTIONS)) },
  {
    match: /json-schema\.org\/draft\/2019-09\/schema/,
    make: () => withFormats(new Ajv2019(OPTIONS) as unknown as Ajv),
  },
  {
    match: /json-schema\.org\/draft\/2020-12\/schema/,
    make: () => withFormats(new Ajv2020(OPTIONS) as unknown as Ajv),
  },
];
const instances = new Map<(typeof DIALECTS)[number], Ajv>();

function ajvFor(dialect: (typeof DIALECTS)[number]): Ajv {
  let ajv = instances.get(dialect);
  if (!ajv) instances.set(dialect, (ajv = dialect.make()));
  return ajv;
}

export function checkEventTypeSchemas(schemas: Record<string, unknown> | null | undefined): void {
  if (!schemas) return;
  const issues: ValidationIssue[] = [];
  for (const [version, schema] of Object.entries(schemas))
    issues.push(...checkVersion(version, schema as Record<string, unknown>));
  if (issues.length > 0) throw new ValidationError(issues);
}

function checkVersion(version: string, schema: Record<string, unknown>): ValidationIssue[] {
  const loc = ['body', 'schemas', version];
  const declared = schema.$schema ?? 'http://json-schema.org/draft-07/schema#';
  const dialect = typeof declared === 'string' ? DIALECTS.find((d) => d.match.test(declared)) : undefined;
  if (!dialect) {
    return [
      {
        loc: [...loc, '$schema'],
        msg: 'unsupported $schema: use draft-07, 2019-09 or 2020-12 (or leave it out for draft-07)',
        type: 'value_error.jsonschema',
      },
    ];
  }
  const ajv = ajvFor(dialect);
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    // What a failed compile left behind is not known (its `$id` may even be a meta-schema's, which
    // removeSchema would delete): the instance is dropped, the next check makes a fresh one.
    instances.delete(dialect);
    return [{ loc, msg: `not a valid JSON Schema: ${(err as Error).message}`, type: 'value_error.jsonschema' }];
  }
  try {
    if ((validate as { $async?: boolean }).$async)
      return [
        { loc: [...loc, '$async'], msg: 'asynchronous schemas are not supported', type: 'value_error.jsonschema' },
      ];
    const examples = Array.isArray(schema.examples) ? schema.examples : [];
    const issues: ValidationIssue[] = [];
    examples.forEach((example, i) => {
      if (!validate(example)) {
        issues.push({
          loc: [...loc, 'examples', i],
          msg: `example does not match the schema: ${ajv.errorsText(validate.errors, { dataVar: 'example' })}`,
          type: 'value_error.example',
        });
      }
    });
    return issues;
  } finally {
    ajv.removeSchema(schema);
  }
}
