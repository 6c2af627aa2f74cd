import type { FastifyInstance } from 'fastify';

/**
 * Every operation of the API, read from the OpenAPI document the API serves
 * (`GET /api/v1/openapi.json`), so a route added later is fuzzed and auth-checked without
 * anyone editing the security tests.
 */

export interface RouteParam {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: Record<string, unknown>;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path template, e.g. /api/v1/app/{app_id}/msg. */
  path: string;
  operationId: string | null;
  params: RouteParam[];
  /** Property names of the JSON request body (after $ref resolution), when it is an object. */
  bodyProperties: string[] | null;
  hasBody: boolean;
}

export async function apiRoutes(app: FastifyInstance): Promise<{ routes: ApiRoute[]; doc: Record<string, any> }> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`openapi.json answered ${res.statusCode}`);
  const doc = JSON.parse(res.body) as Record<string, any>;
  const resolve = (schema: any): any => {
    if (schema?.$ref) {
      const name = String(schema.$ref).split('/').pop()!;
      return resolve(doc.components?.schemas?.[name]);
    }
    return schema;
  };
  const routes: ApiRoute[] = [];
  for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const bodySchema = resolve(op.requestBody?.content?.['application/json']?.schema);
      routes.push({
        method: method.toUpperCase() as ApiRoute['method'],
        path,
        operationId: op.operationId ?? null,
        params: (op.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, schema: resolve(p.schema) ?? {} })),
        bodyProperties: bodySchema?.properties ? Object.keys(bodySchema.properties) : null,
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return { routes, doc };
}

/** Fill a path template: `fill('/app/{app_id}', {app_id: 'x'})`; values are URL-encoded unless `raw`. */
export function fillPath(template: string, values: Record<string, string>, raw = false): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = values[name] ?? 'missing';
    if (raw) return v;
    try {
      return encodeURIComponent(v);
    } catch {
      // lone surrogates: sent as the (invalid) UTF-8 bytes of one
      return [...v]
        .map((ch) => {
          try {
            return encodeURIComponent(ch);
          } catch {
            return '%ED%A0%80';
          }
        })
        .join('');
    }
  });
}
