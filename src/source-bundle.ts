import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';

/**
 * Run from source (tests, tsx), a module that starts in a thread or a child process is first
 * bundled into one file by esbuild (tsx's compiler), once per process and entry: a process that
 * registers tsx itself compiles every module through loader hooks and starts several times slower.
 * Packages named `external` (all of them when not given) stay imports, so the bundle lives under the
 * repository's node_modules/.cache, where they resolve; each module keeps its own `import.meta.url`
 * (files it reads next to itself still resolve); the file is named by its content, so processes
 * building it at once write the same file. A bundle is built again only once one of the files it
 * was built from changed (its index lists them): later processes start without running esbuild.
 */
const bundles = new Map<string, Promise<URL>>();

/** One bundle per entry and set of external packages. */
const bundleKey = (entry: URL, external: string[] | undefined) => `${entry.href} ${external?.join(',') ?? '*'}`;

export function sourceBundle(entry: URL, external?: string[]): Promise<URL> {
  const key = bundleKey(entry, external);
  let bundle = bundles.get(key);
  if (!bundle) bundles.set(key, (bundle = buildSourceBundle(entry, external)));
  return bundle;
}

const ROOT = new URL('../', import.meta.url);

const CACHE = new URL('node_modules/.cache/hookrelay/', ROOT);

/** What a bundle was built from: each input file with its modification time and size. */
interface BundleIndex {
  file: string;
  inputs: Array<[path: string, mtimeMs: number, size: number]>;
}

/** The bundle of `entry`, built now or reused from an earlier process (sourceBundle keeps one per process). */
export async function buildSourceBundle(entry: URL, external: string[] | undefined): Promise<URL> {
  const name = fileURLToPath(entry).split('/').pop()!.replace(/\.ts$/, '');
  const indexFile = new URL(`${name}-${hash(bundleKey(entry, external))}.json`, CACHE);
  const built = reusable(indexFile);
  if (built) return built;
  const started = Date.now();
  const { build: esbuild } = await import('esbuild');
  const out = await esbuild({
    ...SOURCE_BUNDLE,
    entryPoints: [fileURLToPath(entry)],
    ...(external ? { external } : { packages: 'external' as const }),
    write: false,
    metafile: true,
    logLevel: 'silent',
    minifyWhitespace: true,
    minifySyntax: true,
  });
  const code = out.outputFiles[0].contents;
  const file = new URL(`${name}-${hash(code)}.mjs`, CACHE);
  if (!existsSync(file)) writeAtomically(file, code);
  const inputs = Object.keys(out.metafile.inputs).map((p): BundleIndex['inputs'][number] => {
    const { mtimeMs, size } = statSync(resolve(p));
    return [resolve(p), mtimeMs, size];
  });
  // A file changed while esbuild read it may be in the bundle as it was before: no index, so the next process builds again.
  if (inputs.every(([, mtimeMs]) => mtimeMs < started))
    writeAtomically(indexFile, JSON.stringify({ file: fileURLToPath(file), inputs } satisfies BundleIndex));
  return file;
}

/** The bundle an index names, while every file it was built from is as it was then; otherwise null. */
function reusable(indexFile: URL): URL | null {
  try {
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as BundleIndex;
    for (const [path, mtimeMs, size] of index.inputs) {
      const now = statSync(path);
      if (now.mtimeMs !== mtimeMs || now.size !== size) return null;
    }
    return existsSync(index.file) ? pathToFileURL(index.file) : null;
  } catch {
    return null;
  }
}

/** A pattern, not the expression's text: this file is bundled too, and the plugin would rewrite a string of it. */
const IMPORT_META_URL = /\bimport\.meta\.url\b/g;

/**
 * An esbuild plugin: each TypeScript module bundled keeps its own `import.meta.url` (the source
 * file's), so paths it builds next to itself resolve wherever the bundle is written.
 */
export const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (file) => ({
      contents: (await readFile(file.path, 'utf8')).replace(
        IMPORT_META_URL,
        JSON.stringify(pathToFileURL(file.path).href),
      ),
      loader: file.path.endsWith('.tsx') ? 'tsx' : 'ts',
    }));
  },
};

/** How TypeScript sources become a bundle node runs: here, and for the test files (scripts/run-tests.ts). */
export const SOURCE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [ownImportMetaUrl],
} satisfies BuildOptions;

const hash = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** Processes building the same bundle at once each write whole files. */
function writeAtomically(file: URL, data: string | Uint8Array): void {
  mkdirSync(CACHE, { recursive: true });
  const tmp = new URL(`${file.href}.${process.pid}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

const LOADER_FLAG = /^--(import|loader|experimental-loader|require)$/;

/**
 * The caller's node flags without tsx's loader, for a thread that runs a bundle: it needs none, and
 * tsx's hooks registered in the thread as well would take most of its start.
 */
export function withoutTsLoader(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if (LOADER_FLAG.test(flag) && /\btsx\b/.test(execArgv[i + 1] ?? '')) i++;
    else if (!/^--(import|loader|experimental-loader|require)=.*\btsx\b/.test(flag)) out.push(flag);
  }
  return out;
}
