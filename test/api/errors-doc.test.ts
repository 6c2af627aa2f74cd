import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/** Every error code raised anywhere in src/ is listed in docs/errors.md (and nothing is listed that no longer exists). */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('docs/errors.md', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');
  const documented = new Set(
    [...doc.matchAll(/^\|[^|]*\| `([a-z_]+)` \|/gm), ...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]),
  );

  const raised = new Set<string>(['internal_error']);
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/super\('([a-z_]+)'/g)) raised.add(m[1]);
    for (const m of text.matchAll(/code = '([a-z_]+)'/g)) raised.add(m[1]);
    for (const m of text.matchAll(/Error\([^;]*?,\s*'([a-z_]+)',?\s*(?:[^)]*)?\)/g)) raised.add(m[1]);
  }

  it('lists every code the code base raises', () => {
    assert.ok(raised.size >= 14, `found ${raised.size} codes`);
    for (const code of raised) assert.ok(documented.has(code), `${code} is not in docs/errors.md`);
  });

  it('lists no code that nothing raises', () => {
    for (const code of documented) assert.ok(raised.has(code), `${code} is documented but never raised`);
  });
});
