import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { FORMATS } from './schemas/formats.js';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * Two ajv instances: query strings, path params and headers arrive as strings and are coerced
 * (`?limit=10` → 10, a single `event_types` → an array); JSON bodies are NOT coerced, so
 * `{"name": 123}` is a 422 rather than silently becoming "123". Both know every named model.
 * allErrors stays off (fastify's default): it bounds the work a hostile body can cause.
 */
function makeAjv(coerce: boolean, models: TSchema[]): Ajv {
  const ajv = new Ajv({
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  for (const model of models) ajv.addSchema(model);
  return ajv;
}

export function makeValidatorCompiler(models: TSchema[]): FastifySchemaCompiler<TSchema> {
  const body = makeAjv(false, models);
  const other = makeAjv(true, models);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? body : other;
    return ajv.compile(schema) as ValidateFunction as ReturnType<FastifySchemaCompiler<TSchema>>;
  };
}
