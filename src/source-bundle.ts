import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Run from source (tests, tsx), a module that starts in a thread or a child process is first
 * bundled into one file by esbuild (tsx's compiler), once per process and entry: a process that
 * registers tsx itself compiles every module through loader hooks and starts several times slower.
 * Packages named `external` (all of them when not given) stay imports, so the bundle lives under the
 * repository's node_modules/.cache, where they resolve; each module keeps its own `import.meta.url`
 * (files it reads next to itself still resolve); the file is named by its content, so processes
 * building it at once write the same file.
 */
const bundles = new Map<string, Promise<URL>>();

export function sourceBundle(entry: URL, external?: string[]): Promise<URL> {
  const key = `${entry.href} ${external?.join(',') ?? '*'}`;
  let bundle = bundles.get(key);
  if (!bundle) bundles.set(key, (bundle = build(entry, external)));
  return bundle;
}

const ROOT = new URL('../', import.meta.url);

async function build(entry: URL, external: string[] | undefined): Promise<URL> {
  const { build: esbuild } = await import('esbuild');
  const out = await esbuild({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    ...(external ? { external } : { packages: 'external' as const }),
    write: false,
    logLevel: 'silent',
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [
      {
        name: 'own-import-meta-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (file) => ({
            contents: (await readFile(file.path, 'utf8')).replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(file.path).href),
            ),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const code = out.outputFiles[0].contents;
  const dir = new URL('node_modules/.cache/hookrelay/', ROOT);
  const name = fileURLToPath(entry).split('/').pop()!.replace(/\.ts$/, '');
  const file = new URL(`${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`, dir);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = new URL(`${file.href}.${process.pid}.tmp`);
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return file;
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
