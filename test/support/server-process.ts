import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourceBundle } from '../../src/source-bundle.js';

/**
 * A Hookrelay server in a child process (test/support/child-server.ts, bundled), so a test can
 * kill -9 it and start another on the same data dir or database. Output is kept for diagnostics
 * (the tail is printed when a wait fails).
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = new URL('./child-server.ts', import.meta.url);

/** A fixed admin token for child servers (HOOKRELAY_ADMIN_TOKEN). */
export const CHILD_ADMIN_TOKEN = 'hr_admin_reliability_0123456789abcdef';
/** A fixed encryption key, so several processes on one PostgreSQL database share secrets. */
export const CHILD_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** Base URL of the API (null for role=worker). */
  url: string | null;
  /** Base URL of the ops port (HOOKRELAY_METRICS_PORT), when set. */
  opsUrl: string | null;
  output(): string;
  exited: Promise<number | null>;
  /** kill -9, and wait until the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), and wait. */
  stop(): Promise<void>;
  /** Resident set size in bytes, from /proc (Linux); null elsewhere. */
  rssBytes(): number | null;
}

export interface SpawnOptions {
  /** HOOKRELAY_* variables; merged over quiet defaults. */
  env: Record<string, string>;
  /** How long to wait for the ready line (Default: 30000 ms). */
  readyTimeoutMs?: number;
  /** Run as this user/group (tests running as root use 65534 so file permissions bite). */
  uid?: number;
  gid?: number;
  /** Shell commands run by bash before exec'ing node (e.g. `trap '' XFSZ; ulimit -f 2048;`). */
  shellPrefix?: string;
}

async function spawnChild(options: Omit<SpawnOptions, 'readyTimeoutMs'>): Promise<ChildProcessWithoutNullStreams> {
  const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid };
  const args = [fileURLToPath(await sourceBundle(ENTRY))];
  if (options.shellPrefix) {
    return spawn('bash', ['-c', `${options.shellPrefix} exec "$0" "$@"`, process.execPath, ...args], {
      cwd: ROOT,
      env: childEnv(options.env),
      ...ids,
    });
  }
  return spawn(process.execPath, args, { cwd: ROOT, env: childEnv(options.env), ...ids });
}

export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  // Only what node needs from the parent; no HOOKRELAY_* leaks in from the outer environment.
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_OPTIONS'])
    if (process.env[k] !== undefined) base[k] = process.env[k];
  return {
    ...base,
    HOOKRELAY_PORT: '0',
    HOOKRELAY_HOST: '127.0.0.1',
    HOOKRELAY_ADMIN_TOKEN: CHILD_ADMIN_TOKEN,
    HOOKRELAY_ENCRYPTION_KEY: CHILD_ENCRYPTION_KEY,
    HOOKRELAY_LOG_LEVEL: 'warn',
    ...env,
  };
}

export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const child = await spawnChild(options);
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const ready = await new Promise<{ url: string | null; opsUrl?: string | null }>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      const m = /HOOKRELAY_CHILD_READY (\{.*\})/.exec(out);
      if (m) return resolve(JSON.parse(m[1]) as { url: string | null; opsUrl?: string | null });
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        return reject(new Error(`server child did not start (exit ${child.exitCode}):\n${out.slice(-4000)}`));
      }
      setTimeout(check, 20);
    };
    check();
  });
  const pid = child.pid!;
  return {
    child,
    pid,
    url: ready.url,
    opsUrl: ready.opsUrl ?? null,
    output: () => out,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
    rssBytes() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : null;
      } catch {
        return null;
      }
    },
  };
}

/** Run the child entry expecting it to fail at start; resolves with its exit code and output. */
export async function runServerExpectingFailure(
  options: Omit<SpawnOptions, 'readyTimeoutMs'>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; output: string; started: boolean }> {
  const child = await spawnChild(options);
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const poll = setInterval(() => {
      if (out.includes('HOOKRELAY_CHILD_READY')) child.kill('SIGTERM');
    }, 20);
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, output: out, started: out.includes('HOOKRELAY_CHILD_READY') });
    });
  });
}
