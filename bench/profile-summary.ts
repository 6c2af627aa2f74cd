import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Summarise a V8 `.cpuprofile` (from `npm run bench -- --profile`): share of samples that were
 * idle / GC / program, and the functions with the most self time. Usage:
 *   node --import tsx bench/profile-summary.ts bench/profiles/CPU.*.cpuprofile [--top 25]
 */

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});

for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = p.endTime - p.startTime;
  const byFn = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const sorted = [...byFn].sort((a, b) => b[1] - a[1]);
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s profiled`);
  for (const [k, us] of sorted.slice(0, Number(values.top)))
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}
