import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { StoreKind } from './environment.js';

/**
 * Where the box's CPU goes during a measured stretch: user + system time of each process that
 * takes part (all its threads — the server's store thread included), read from /proc, divided
 * by the messages handled in that stretch. Beside it, how busy the whole box was. The sum per
 * message says what rate the box could reach at these costs even with perfect use of every
 * core: `cores × 1 s ÷ CPU per message` (the "CPU bound" figure of the report).
 */

/** Kernel clock ticks per second (USER_HZ): 100 on every Linux build Node supports. */
const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far, all threads; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14, 15)
  } catch {
    return 0;
  }
}

/** CPU seconds of every process whose command name is `comm`: a server's backends and helpers together. */
function commandCpuSeconds(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) total += processCpuSeconds(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** CPU seconds of every PostgreSQL server process (the backends serving the run, and its helpers). */
export const postgresCpuSeconds = (): number => commandCpuSeconds('postgres');

/** CPU seconds of the box's Redis, which the peer's queue runs on (as PostgreSQL's count against Hookrelay). */
export const redisCpuSeconds = (): number => commandCpuSeconds('redis-server');

/** Busy and total CPU seconds of the whole box so far (/proc/stat; idle and iowait count as not busy). */
function boxCpuSeconds(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: (total - n[3] - n[4]) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** The parts of a run with a server under test: it, its receiver, and PostgreSQL when that is the store. */
export function serverCpuParts(
  serverPid: number,
  receiverPid: number,
  store: StoreKind | null,
): Record<string, () => number> {
  const parts: Record<string, () => number> = {
    server: () => processCpuSeconds(serverPid),
    receiver: () => processCpuSeconds(receiverPid),
  };
  if (store === 'postgres') parts.postgres = postgresCpuSeconds;
  return parts;
}

export type CpuFigures = Record<string, number>;

/**
 * Start measuring now; `stop(count)` gives, per part, `cpu<Part>Us`: CPU µs per message; then
 * `cpuTotalUs`, `cpuBoundPerSecond` and `boxBusyPct`. `parts` read a cumulative CPU-seconds
 * counter each (processCpuSeconds of a pid, postgresCpuSeconds, redisCpuSeconds).
 */
export function startCpuMeter(parts: Record<string, () => number>): { stop(count: number): CpuFigures } {
  const first = Object.fromEntries(Object.entries(parts).map(([name, read]) => [name, read()]));
  const box = boxCpuSeconds();
  return {
    stop(count) {
      const figures: CpuFigures = {};
      let total = 0;
      for (const [name, read] of Object.entries(parts)) {
        const us = ((read() - first[name]) / Math.max(1, count)) * 1e6;
        figures[`cpu${name[0].toUpperCase()}${name.slice(1)}Us`] = us;
        total += us;
      }
      const end = boxCpuSeconds();
      figures.cpuTotalUs = total;
      figures.cpuBoundPerSecond = total > 0 ? (cpus().length * 1e6) / total : 0;
      figures.boxBusyPct = ((end.busy - box.busy) / Math.max(1e-9, end.total - box.total)) * 100;
      return figures;
    },
  };
}
