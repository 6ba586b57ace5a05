/**
 * The yardstick for `npm run bench:inbox -- --compare`: a bare Fedify server of the version
 * Ensemble uses, with an in-memory KV and queue and an inbox listener that only counts what it
 * receives of the kind the load sends: Create(Note) for replies and votes (a vote is a Note
 * naming the option), Follow for follows, each answered with an Accept as any Fedify app does
 * (delivered at once, so a follow is handled when its Accept has reached the peer). Run as a
 * child process by load-generator.ts; it answers the same IPC commands as Ensemble's child.ts
 * (ready, state, cpu, queries, workers, stop; ipc.ts), so both are driven by the same load.
 *
 * Its actors are the same paths as Ensemble's communities (`/communities/{handle}` and their
 * inboxes), so the load generator builds the same activities for both.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFederation, generateCryptoKeyPair, InProcessMessageQueue, MemoryKvStore } from "@fedify/fedify";
import { Accept, Create, Follow, Group, Note } from "@fedify/vocab";
import { getRequestListener } from "@hono/node-server";
import type { ChildInit } from "./ipc";

const send = (m: unknown) => process.send!(m);
if (process.env.BENCH_BARE_DEBUG) {
  const { configure, getConsoleSink } = await import("@logtape/logtape");
  await configure({
    sinks: { console: getConsoleSink() },
    loggers: [{ category: "fedify", sinks: ["console"], lowestLevel: "warning" }],
  });
}

const init = await new Promise<ChildInit>((r) => process.once("message", (m) => r(m as ChildInit)));

let received = 0; // inbox POSTs answered 202 (each one enqueued)
let counted = 0; // activities of the load's kind handled by the listener: Create(Note), or Follow (accepted)
let handled = 0; // all activities handled by the listener
const federation = createFederation<void>({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  allowPrivateAddress: true, // the peer is on 127.0.0.1
  firstKnock: "draft-cavage-http-signatures-12",
});
// one key pair for every actor: Fedify signs the GETs of the senders' keys with the recipient's
const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
federation
  .setActorDispatcher("/communities/{identifier}", async (ctx, identifier) =>
    identifier.startsWith("bench_")
      ? new Group({
          id: ctx.getActorUri(identifier),
          preferredUsername: identifier,
          inbox: ctx.getInboxUri(identifier),
          publicKey: (await ctx.getActorKeyPairs(identifier))[0]?.cryptographicKey,
        })
      : null,
  )
  .setKeyPairsDispatcher(() => [keyPair]);
federation
  .setInboxListeners("/communities/{identifier}/inbox")
  .on(Create, async (_ctx, create) => {
    if (init.activity !== "follow" && (await create.getObject()) instanceof Note) counted++;
    handled++;
  })
  .on(Follow, async (ctx, follow) => {
    const follower = await follow.getActor(ctx);
    if (init.activity === "follow" && ctx.recipient && follower && follow.id) {
      const actor = ctx.getActorUri(ctx.recipient);
      const accept = new Accept({ id: new URL(`#accept/${follow.id.href}`, actor), actor, object: follow });
      await ctx.sendActivity({ identifier: ctx.recipient }, follower, accept, { immediate: true });
      // the warm-up community's followers are not counted, as in Ensemble's child
      if (ctx.recipient !== "bench_warmup") counted++;
    }
    handled++; // a failure is counted by onError instead
  })
  .onError(() => {
    handled++;
  });

const listener = getRequestListener(async (request) => {
  const response = await federation.fetch(request, { contextData: undefined });
  if (request.method === "POST" && response.status === 202) received++;
  return response;
});
const server = createServer(listener);
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
send({ type: "ready", origin, campaigns: {} });

process.on("message", async (m: any) => {
  switch (m.cmd) {
    case "state":
      return send({
        id: m.id,
        noteRows: init.activity === "create" ? counted : 0,
        voteRows: init.activity === "vote" ? counted : 0,
        followerRows: init.activity === "follow" ? counted : 0,
        inbox: received - handled,
        outbox: 0,
      });
    case "cpu": {
      const { user, system } = process.cpuUsage();
      return send({ id: m.id, us: user + system });
    }
    case "queries":
      return send({ id: m.id, queries: [] });
    case "workers":
      return send({ id: m.id }); // the in-memory queue always runs
    case "stop":
      server.close();
      send({ id: m.id });
      setTimeout(() => process.exit(0), 50);
      return;
    default:
      return send({ id: m.id, error: `bare-fedify: no command ${m.cmd}` });
  }
});
