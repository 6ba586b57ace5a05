import {
  createExponentialBackoffPolicy,
  createFederation,
  type Federation,
  type KvStore,
  type MessageQueue,
} from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { MeterProvider, TracerProvider } from "@opentelemetry/api";
import type { Config } from "../src/config";
import { setupActors } from "./actors";
import { setupCollections } from "./collections";
import { setupInbox } from "./inbox";
import { setupNodeInfo } from "./nodeinfo";
import { setupObjects } from "./objects";
import { setupQuoteAuthorizations } from "./quotes";
import type { Services } from "../src/services";

export interface FederationDeps {
  config: Config;
  kv: KvStore;
  queue: { inbox: MessageQueue; outbox: MessageQueue };
  /** OpenTelemetry providers; absent (the default), Fedify records nothing. */
  tracerProvider?: TracerProvider;
  meterProvider?: MeterProvider;
}

const deliveryLogger = getLogger(["ensemble", "delivery"]);

export function createEnsembleFederation({
  config,
  kv,
  queue,
  tracerProvider,
  meterProvider,
}: FederationDeps): Federation<Services> {
  const { maxAttempts, hostFailureLimit, hostRetryAfterSeconds } = config.delivery;
  const federation = createFederation<Services>({
    kv,
    queue,
    origin: config.origin,
    // web-only nodes enqueue; workers (and `all`) process
    manuallyStartQueue: true,
    allowPrivateAddress: config.allowPrivateAddress,
    // Mastodon and Pixelfed only speak draft-cavage; Fedify falls back to RFC 9421 and remembers.
    firstKnock: "draft-cavage-http-signatures-12",
    userAgent: { software: "Ensemble" },
    // a failed delivery is retried after ~1 s, 2 s, 4 s… (jittered, at most 12 h apart), then dropped
    outboxRetryPolicy: createExponentialBackoffPolicy({ maxAttempts, maxDelay: { hours: 12 } }),
    // a server that fails (5xx, refused, timed out) this many times in 10 minutes is skipped:
    // its deliveries are held, not attempted, until a single probe after the retry delay succeeds
    circuitBreaker: {
      failureThreshold: hostFailureLimit,
      failureWindow: { minutes: 10 },
      recoveryDelay: { seconds: hostRetryAfterSeconds },
      onStateChange: (host, from, to) => deliveryLogger.warn("Delivery to {host}: {from} → {to}", { host, from, to }),
      onActivityDrop: (host, drop) =>
        deliveryLogger.warn("Dropped {activityId} for {inbox}: {host} unreachable since {since}", {
          host,
          activityId: drop.activityId,
          inbox: drop.inbox.href,
          since: drop.heldSince.toString(),
        }),
    },
    tracerProvider,
    meterProvider,
  });
  setupActors(federation);
  setupCollections(federation);
  setupObjects(federation);
  setupQuoteAuthorizations(federation);
  setupInbox(federation);
  setupNodeInfo(federation);
  return federation;
}

export { actorKeyLister } from "./actor-keys";
export { accountLookup } from "./accounts";
export { campaignPublisher } from "./publisher";
