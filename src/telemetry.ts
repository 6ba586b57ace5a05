/**
 * OpenTelemetry traces and metrics: off unless the standard `OTEL_*` variables ask for them.
 *
 *  - traces on when `OTEL_TRACES_EXPORTER` names an exporter, or when an OTLP endpoint
 *    (`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set;
 *  - metrics likewise with `OTEL_METRICS_EXPORTER` / `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`;
 *  - `OTEL_SDK_DISABLED=true` turns both off; `none` turns one off.
 *
 * Exporters: `otlp` (protocol from `OTEL_EXPORTER_OTLP_PROTOCOL`, default `http/protobuf`;
 * the OTLP exporter packages are optional and named in the error when missing) and `console`.
 * The providers are handed to Fedify's createFederation, which traces inbox, outbox,
 * signatures, fetches and queue work, and records its delivery, queue and circuit metrics.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  metrics,
  type Context,
  type ContextManager,
  type MeterProvider,
  type TracerProvider,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import {
  ConsoleMetricExporter,
  MeterProvider as SdkMeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { ConfigError } from "./config";

export interface Telemetry {
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
  /** What is on, for the start-up log line. */
  describe(): string;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

export interface TelemetryOverrides {
  /** Exports spans here (tests: InMemorySpanExporter), synchronously, instead of what OTEL_* asks. */
  spanExporter?: SpanExporter;
  /** Exports metrics here (tests: InMemoryMetricExporter) instead of what OTEL_* asks. */
  metricExporter?: PushMetricExporter;
  metricIntervalMs?: number;
  /** Install the providers, context manager and propagator as the process's globals (main does). */
  registerGlobals?: boolean;
}

type Env = Record<string, string | undefined>;

const off: Telemetry = { describe: () => "off", shutdown: async () => {} };

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/** Which exporters a signal gets: explicit list, else `otlp` when an endpoint is set, else none. */
function exportersFor(env: Env, signal: "traces" | "metrics"): string[] {
  const named = list(env[`OTEL_${signal.toUpperCase()}_EXPORTER`]);
  if (named.length) return named.includes("none") ? [] : named;
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`] ? ["otlp"] : [];
}

const otlpPackages = {
  traces: {
    "http/protobuf": "exporter-trace-otlp-proto",
    "http/json": "exporter-trace-otlp-http",
    grpc: "exporter-trace-otlp-grpc",
  },
  metrics: {
    "http/protobuf": "exporter-metrics-otlp-proto",
    "http/json": "exporter-metrics-otlp-http",
    grpc: "exporter-metrics-otlp-grpc",
  },
} as const;

async function otlpExporter(env: Env, signal: "traces" | "metrics"): Promise<unknown> {
  const protocol = (env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`] ??
    env.OTEL_EXPORTER_OTLP_PROTOCOL ??
    "http/protobuf") as "http/protobuf" | "http/json" | "grpc";
  const pkg = otlpPackages[signal][protocol];
  if (!pkg)
    throw new ConfigError(
      `Invalid configuration:\n  OTEL_EXPORTER_OTLP_PROTOCOL: ${protocol} is not http/protobuf, http/json or grpc`,
    );
  const name = `@opentelemetry/${pkg}`;
  let mod: Record<string, new () => unknown>;
  try {
    mod = await import(/* @vite-ignore */ name);
  } catch {
    throw new ConfigError(
      `OpenTelemetry ${signal} over OTLP (${protocol}) needs the package ${name}, which is not installed: npm install ${name}`,
    );
  }
  // the exporters read OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) themselves
  const ctor = signal === "traces" ? mod.OTLPTraceExporter : mod.OTLPMetricExporter;
  return new ctor();
}

async function spanExporters(env: Env): Promise<SpanExporter[]> {
  const out: SpanExporter[] = [];
  for (const name of exportersFor(env, "traces")) {
    if (name === "console") out.push(new ConsoleSpanExporter());
    else if (name === "otlp") out.push((await otlpExporter(env, "traces")) as SpanExporter);
    else throw new ConfigError(`Invalid configuration:\n  OTEL_TRACES_EXPORTER: ${name} is not otlp, console or none`);
  }
  return out;
}

async function metricExporters(env: Env): Promise<PushMetricExporter[]> {
  const out: PushMetricExporter[] = [];
  for (const name of exportersFor(env, "metrics")) {
    if (name === "console") out.push(new ConsoleMetricExporter());
    else if (name === "otlp") out.push((await otlpExporter(env, "metrics")) as PushMetricExporter);
    else throw new ConfigError(`Invalid configuration:\n  OTEL_METRICS_EXPORTER: ${name} is not otlp, console or none`);
  }
  return out;
}

function resourceAttributes(env: Env): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? "").split(",")) {
    const i = pair.indexOf("=");
    if (i > 0) attrs[decodeURIComponent(pair.slice(0, i).trim())] = decodeURIComponent(pair.slice(i + 1).trim());
  }
  attrs["service.name"] = env.OTEL_SERVICE_NAME ?? attrs["service.name"] ?? "ensemble";
  return attrs;
}

/**
 * Spans follow async work (a request, a queue job) through AsyncLocalStorage, so Fedify's
 * nested spans get their parents without @opentelemetry/context-async-hooks.
 */
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ) {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    const run = (...args: unknown[]) => this.with(ctx, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

export async function setupTelemetry(env: Env = process.env, overrides: TelemetryOverrides = {}): Promise<Telemetry> {
  const disabled = ["true", "1"].includes((env.OTEL_SDK_DISABLED ?? "").toLowerCase());
  const spans = overrides.spanExporter ? [overrides.spanExporter] : disabled ? [] : await spanExporters(env);
  const metricOut = overrides.metricExporter ? [overrides.metricExporter] : disabled ? [] : await metricExporters(env);
  if (spans.length === 0 && metricOut.length === 0) return off;

  const resource = defaultResource().merge(resourceFromAttributes(resourceAttributes(env)));
  const tracerProvider = spans.length
    ? new BasicTracerProvider({
        resource: resource as never,
        spanProcessors: spans.map((e) =>
          overrides.spanExporter ? new SimpleSpanProcessor(e) : new BatchSpanProcessor(e),
        ),
      })
    : undefined;
  const interval = overrides.metricIntervalMs ?? Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000);
  const meterProvider = metricOut.length
    ? new SdkMeterProvider({
        resource,
        readers: metricOut.map(
          (exporter) =>
            new PeriodicExportingMetricReader({
              exporter,
              exportIntervalMillis: interval,
              exportTimeoutMillis: Math.min(interval, 30_000),
            }),
        ),
      })
    : undefined;

  if (overrides.registerGlobals) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    if (tracerProvider) trace.setGlobalTracerProvider(tracerProvider);
    if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);
  }

  return {
    tracerProvider,
    meterProvider,
    describe: () =>
      [
        tracerProvider && `traces → ${exportersFor(env, "traces").join(",") || "custom"}`,
        meterProvider && `metrics → ${exportersFor(env, "metrics").join(",") || "custom"}`,
      ]
        .filter(Boolean)
        .join(", "),
    async shutdown() {
      await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
    },
  };
}
