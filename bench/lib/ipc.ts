import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A tiny request/response protocol over Node's IPC channel, so every actor of a benchmark
 * (server under test, receivers, load generators) runs in its own process with its own event
 * loop and its own RSS. The parent calls `child.call(cmd, args)`; the child answers with the
 * handler's result or its error message.
 */

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
interface Response {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface Child {
  pid: number;
  call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Ask politely (`stop` handler if any), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export interface ForkOptions {
  /** Extra node flags, e.g. `--cpu-prof` (Default: none). */
  execArgv?: string[];
  /** Child stdout: inherited or dropped (Default: inherit). */
  quiet?: boolean;
}

/** Fork `bench/<file>` (TypeScript through tsx, JavaScript as it is) and wait for its `ready` message. */
export async function forkChild(relative: string, options: ForkOptions = {}): Promise<Child> {
  const file = fileURLToPath(new URL(`../${relative}`, import.meta.url));
  const loader = relative.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc: ChildProcess = fork(file, [], {
    execArgv: [...loader, ...(options.execArgv ?? [])],
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  let nextId = 1;
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${relative} exited (code ${code})`));
      }
      pending.clear();
      resolve(code);
    }),
  );
  proc.on('message', (m: Response) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`${relative}: ${m.error}`));
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${relative} did not start within 30 s`)), 30_000);
    proc.once('message', () => {
      clearTimeout(timer);
      resolve();
    }); // the first message is `ready`
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${relative} exited during start (code ${code})`));
    });
  });
  const child: Child = {
    pid: proc.pid!,
    exited,
    call<T>(cmd: string, args?: unknown, timeoutMs = 600_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${relative}: '${cmd}' timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        proc.send({ id, cmd, args } satisfies Request);
      });
    },
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      try {
        await child.call('stop', undefined, graceMs);
      } catch {
        /* killed below or already gone */
      }
      proc.disconnect?.();
      await exited;
      clearTimeout(kill);
    },
  };
  return child;
}

/** Child side: answer requests with `handlers`, announce readiness, exit on `stop` or parent loss. */
export function serveIpc(
  handlers: Record<string, (args: any) => unknown>,
  onStop: () => Promise<void> | void = () => {},
): void {
  process.on('message', async (m: Request) => {
    const reply = (r: Omit<Response, 'id'>) => process.send?.({ id: m.id, ...r });
    if (m.cmd === 'stop') {
      try {
        await onStop();
      } finally {
        reply({ ok: true });
        setImmediate(() => process.exit(0));
      }
      return;
    }
    const h = handlers[m.cmd];
    if (!h) return reply({ ok: false, error: `unknown command ${m.cmd}` });
    try {
      reply({ ok: true, result: await h(m.args) });
    } catch (err) {
      reply({ ok: false, error: (err as Error)?.stack ?? String(err) });
    }
  });
  // An orphaned child (the harness crashed) must not linger.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ id: 0, ok: true, result: 'ready' });
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one box. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
