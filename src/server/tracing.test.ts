import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing } from './tracing.js';

/** An exporter that answers with `results` in turn and keeps what it was given. */
function scriptedExporter(results: ExportResult['code'][]): SpanExporter & { batches: ReadableSpan[][] } {
  const batches: ReadableSpan[][] = [];
  return {
    batches,
    export(spans, done) {
      batches.push(spans);
      const code = results[batches.length - 1] ?? ExportResultCode.SUCCESS;
      done(code === ExportResultCode.SUCCESS ? { code } : { code, error: new Error('collector said no') });
    },
    shutdown: () => Promise.resolve(),
  };
}

function warnings() {
  const lines: Array<{ obj: object; msg: string }> = [];
  return {
    lines,
    warn: (obj: object, msg: string) => {
      lines.push({ obj, msg });
    },
  };
}

test('off starts nothing', () => {
  assert.equal(startTracing({ tracing: 'off', role: 'all' }, warnings()), null);
});

test('spans carry the service name and role, and are exported by shutdown', async () => {
  const exporter = scriptedExporter([]);
  const tracing = startTracing({ tracing: 'otlp', role: 'worker' }, warnings(), exporter)!;
  tracing.tracer.startSpan('one').end();
  await tracing.shutdown();
  const spans = exporter.batches.flat();
  assert.deepEqual(
    spans.map((s) => s.name),
    ['one'],
  );
  assert.equal(spans[0].resource.attributes['service.name'], process.env.OTEL_SERVICE_NAME ?? 'hookrelay');
  assert.equal(spans[0].resource.attributes['hookrelay.role'], 'worker');
});

test('a collector that refuses is logged once per run of failures, not once per batch', async () => {
  const log = warnings();
  const { FAILED, SUCCESS } = ExportResultCode;
  const exporter = scriptedExporter([FAILED, FAILED, SUCCESS, FAILED]);
  const tracing = startTracing({ tracing: 'otlp', role: 'all' }, log, exporter)!;
  for (let i = 0; i < 4; i++) {
    tracing.tracer.startSpan(`s${i}`).end();
    await tracing.flush().catch(() => {}); // a refused export rejects the flush too
  }
  await tracing.shutdown();
  assert.equal(exporter.batches.length, 4);
  assert.equal(log.lines.length, 2, log.lines.map((l) => l.msg).join('\n'));
  assert.match(log.lines[0].msg, /could not export spans/);
});
