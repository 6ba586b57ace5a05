import { createFederation, type Federation, type KvStore, type MessageQueue } from "@fedify/fedify";
import type { Config } from "../src/config";
import { setupActors } from "./actors";
import { setupCollections } from "./collections";
import { setupInbox } from "./inbox";
import { setupNodeInfo } from "./nodeinfo";
import { setupObjects } from "./objects";
import type { Services } from "./services";

export interface FederationDeps {
  config: Config;
  kv: KvStore;
  queue: { inbox: MessageQueue; outbox: MessageQueue };
}

export function createEnsembleFederation({ config, kv, queue }: FederationDeps): Federation<Services> {
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
  });
  setupActors(federation);
  setupCollections(federation);
  setupObjects(federation);
  setupInbox(federation);
  setupNodeInfo(federation);
  return federation;
}

export type { Services } from "./services";
export { INSTANCE_ACTOR } from "./services";
