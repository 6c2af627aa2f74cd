import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testConfig } from '../config.js';
import { SecretBox } from '../domain/secret-box.js';
import { openMemoryStore } from '../store/open-store.js';
import { buildApi } from './build-api.js';

/**
 * Generates the OpenAPI document from the route schemas, exactly as /api/v1/openapi.json
 * serves it. docs/openapi.json is this output, committed; a test fails when they differ.
 * Regenerate: node --import tsx src/api/write-openapi.ts [out-file]
 */
export async function generateOpenapi(): Promise<string> {
  // The document needs no data: an in-memory store is enough to build the routes.
  const store = await openMemoryStore(SecretBox.random());
  const app = await buildApi({ store, config: testConfig(), adminTokenHash: '0'.repeat(64) });
  try {
    return JSON.stringify(app.swagger(), null, 2) + '\n';
  } finally {
    await app.close();
    await store.close();
  }
}

export const OPENAPI_FILE = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? OPENAPI_FILE;
  writeFileSync(out, await generateOpenapi());
  console.log(`wrote ${out}`);
}
