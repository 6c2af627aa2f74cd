import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Run from source (tests, tsx), the store thread starts from its entry bundled into one module by
 * esbuild (tsx's compiler), built once per process: a thread that registers tsx itself loads every
 * module through loader hooks and starts several times slower. better-sqlite3 (native) stays an import, so the
 * bundle lives under the repository's node_modules/.cache, where they resolve; it is named by
 * its content, so processes building it at once write the same file.
 */
let bundle: Promise<URL> | null = null;

export function threadEntryBundle(entry: URL): Promise<URL> {
  bundle ??= build(entry);
  return bundle;
}

async function build(entry: URL): Promise<URL> {
  const { build: esbuild } = await import('esbuild');
  const out = await esbuild({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    write: false,
    logLevel: 'silent',
    minifyWhitespace: true,
    minifySyntax: true,
  });
  const code = out.outputFiles[0].contents;
  const dir = new URL('../../../node_modules/.cache/hookrelay/', entry);
  const file = new URL(`store-thread-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`, dir);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = new URL(`${file.href}.${process.pid}.tmp`);
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return file;
}
