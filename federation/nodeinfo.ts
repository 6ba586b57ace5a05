import type { Federation } from "@fedify/fedify";
import pkg from "../package.json" with { type: "json" };
import { countCommunities } from "../src/domain/communities";
import type { Services } from "../src/services";

export function setupNodeInfo(federation: Federation<Services>): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const communities = await countCommunities(ctx.data.db);
    return {
      software: {
        name: "ensemble",
        version: pkg.version,
        homepage: new URL(ctx.origin),
      },
      protocols: ["activitypub"],
      openRegistrations: false,
      usage: {
        users: { total: communities, activeMonth: communities, activeHalfyear: communities },
        localPosts: 0,
        localComments: 0,
      },
      metadata: { nodeName: "Ensemble" },
    };
  });
}
