import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sourceBundle } from '../../src/source-bundle.js';

/** The repository root: CLI child processes run `src/cli/run.ts` (bundled) from there. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(await sourceBundle(new URL('../../src/cli/run.ts', import.meta.url)));

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stdout. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/** Run the real CLI (`src/cli/run.ts`, bundled from source) as a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          const m = out.match(re);
          if (m) return resolve(m);
          if (child.exitCode !== null || Date.now() > deadline) {
            return reject(
              new Error(`no ${re} in CLI output (exit ${child.exitCode}).\nstdout:\n${out}\nstderr:\n${err}`),
            );
          }
          setTimeout(check, 25);
        };
        check();
      }),
  };
}
