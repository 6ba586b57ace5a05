import { createRequire } from "node:module";
import { InMemoryMetricExporter, AggregationTemporality } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";
import { startEnsemble, type Ensemble } from "../../src/server";
import { setupTelemetry, type Telemetry } from "../../src/telemetry";
import { createCommunity } from "../../src/domain/communities";
import { testEnv, waitFor } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { Health } from "../../src/http/health";

describe("OpenTelemetry set-up from OTEL_* variables", () => {
  it("is off by default and with OTEL_SDK_DISABLED", async () => {
    for (const env of [
      {},
      { OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "console" },
      { OTEL_TRACES_EXPORTER: "none" },
    ]) {
      const t = await setupTelemetry(env);
      expect(t.tracerProvider).toBeUndefined();
      expect(t.meterProvider).toBeUndefined();
      expect(t.describe()).toBe("off");
    }
  });

  it("turns traces and metrics on separately", async () => {
    const traces = await setupTelemetry({ OTEL_TRACES_EXPORTER: "console" });
    expect(traces.tracerProvider).toBeDefined();
    expect(traces.meterProvider).toBeUndefined();
    await traces.shutdown();
    const both = await setupTelemetry({ OTEL_TRACES_EXPORTER: "console", OTEL_METRICS_EXPORTER: "console" });
    expect(both.describe()).toBe("traces → console, metrics → console");
    await both.shutdown();
  });

  it("names a wrong exporter, and the OTLP package when it is not installed", async () => {
    await expect(setupTelemetry({ OTEL_TRACES_EXPORTER: "zipkin" })).rejects.toThrow(/OTEL_TRACES_EXPORTER: zipkin/);
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" };
    let installed = true;
    try {
      createRequire(import.meta.url).resolve("@opentelemetry/exporter-trace-otlp-proto");
    } catch {
      installed = false;
    }
    if (installed) {
      const t = await setupTelemetry(env);
      expect(t.tracerProvider).toBeDefined();
      expect(t.meterProvider).toBeDefined();
      await t.shutdown();
    } else {
      const error = await setupTelemetry(env).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain("npm install @opentelemetry/exporter-trace-otlp-proto");
    }
  });
});

describe("health endpoints and Fedify telemetry in a running server (pglite)", () => {
  const spans = new InMemorySpanExporter();
  const metricsOut = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  let telemetry: Telemetry;
  let ensemble: Ensemble;
  let origin: string;
  let peer: Peer;

  beforeAll(async () => {
    const { env } = await testEnv("pglite");
    const config = loadConfig(env);
    origin = config.origin;
    telemetry = await setupTelemetry({}, { spanExporter: spans, metricExporter: metricsOut, metricIntervalMs: 60_000 });
    ensemble = await startEnsemble(config, { telemetry });
    peer = await startPeer();
    await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat" });
  });
  afterAll(async () => {
    await peer?.close();
    await ensemble?.close();
    await telemetry?.shutdown();
  });

  it("answers /healthz and /readyz, and /readyz turns 503 when draining", async () => {
    const live = await fetch(`${origin}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", queue: "ok" } });
    ensemble.health.draining = true;
    try {
      const draining = await fetch(`${origin}/readyz`);
      expect(draining.status).toBe(503);
      expect(draining.headers.get("retry-after")).toBe("10");
      expect((await draining.json()).reason).toBe("shutting down");
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    } finally {
      ensemble.health.draining = false;
    }
  });

  it("/readyz says 'starting' until the process's workers run", async () => {
    const health = new Health({ database: async () => 1, queue: async () => 1 });
    expect(await health.check()).toEqual({ ready: false, reason: "starting", checks: {} });
    health.starting = false;
    expect((await health.check()).ready).toBe(true);
    expect(ensemble.health.starting).toBe(false); // a started Ensemble has cleared it
  });

  it("records Fedify's spans and metrics for an inbound Follow and the outbound Accept", async () => {
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/follows/otel`,
      type: "Follow",
      actor: peer.actorUrl(),
      object: `${origin}/communities/climat`,
    };
    expect((await peer.signedPost(`${origin}/communities/climat/inbox`, follow)).status).toBe(202);
    await peer.waitForDelivery((d) => d.body?.type === "Accept");
    // the outbox span ends once the delivery's response is handled, just after the peer has it
    const names = await waitFor(() => {
      const n = new Set(spans.getFinishedSpans().map((s) => s.name));
      return n.has("activitypub.outbox") ? n : undefined;
    }, 10_000);
    expect(names).toContain("activitypub.inbox");
    const meter = telemetry.meterProvider as unknown as { forceFlush(): Promise<void> };
    await meter.forceFlush();
    const metricNames = new Set(
      metricsOut
        .getMetrics()
        .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name))),
    );
    expect(metricNames).toContain("activitypub.inbox.activity");
    expect(metricNames).toContain("activitypub.delivery.sent");
  });
});
