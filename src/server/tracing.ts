import { createRequire } from 'node:module';
import type { Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Config } from '../config.js';

/**
 * The OpenTelemetry SDK of one process, when HOOKRELAY_TRACING=otlp: a tracer provider of its
 * own (no global registration, so several servers in one process stay apart), spans batched
 * and exported over OTLP/HTTP as JSON. Where to and how is the standard OTEL_* variables'
 * business (the exporter and batch processor read them). The API and the delivery worker get
 * only the vendor-neutral Tracer.
 */

export interface Tracing {
  tracer: Tracer;
  /** Export the spans ended so far. */
  flush(): Promise<void>;
  /** Export what is still buffered, then stop (graceful shutdown). */
  shutdown(): Promise<void>;
}

interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/** A failed export is logged once per run of failures, not once per batch. */
class LoggedExporter implements SpanExporter {
  private failing = false;

  constructor(
    private readonly inner: SpanExporter,
    private readonly log: WarnLogger,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      const failed = result.code !== ExportResultCode.SUCCESS;
      if (failed && !this.failing)
        this.log.warn(
          { err: result.error, spans: spans.length },
          'tracing: could not export spans; dropping them until the collector answers',
        );
      this.failing = failed;
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** null when tracing is off: nothing is started, and callers skip every span. */
export function startTracing(
  config: Pick<Config, 'tracing' | 'role'>,
  log: WarnLogger,
  exporter?: SpanExporter,
): Tracing | null {
  if (config.tracing === 'off') return null;
  const version = packageVersion();
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector) win over these defaults.
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: 'hookrelay',
        [ATTR_SERVICE_VERSION]: version,
        'hookrelay.role': config.role,
      }),
    )
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new LoggedExporter(exporter ?? new OTLPTraceExporter(), log))],
  });
  return {
    tracer: provider.getTracer('hookrelay', version),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
