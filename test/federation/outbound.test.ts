import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { followers } from "../../drizzle/schema";
import { announceCampaign } from "../../federation/outbox";
import { createCampaign, publishCampaign } from "../../src/domain/campaigns";
import { createCommunity } from "../../src/domain/communities";
import { findInboundNote } from "../../src/domain/notes";
import { isPublicAddress, outboundDispatcher, OutboundLimitError, RefusedAddressError } from "../../src/outbound";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

const AS = "https://www.w3.org/ns/activitystreams";

/** A bare HTTP listener that records every request it gets. */
async function listener(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: Array<{ method: string; path: string }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "" });
    req.resume();
    handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Why a fetch failed: fetch wraps the dispatcher's error as `cause`. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return (error as { cause?: unknown }).cause ?? error;
  }
  throw new Error("expected the fetch to fail");
}

describe("public addresses", () => {
  it.each([
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["100.64.0.1", false], // CGNAT
    ["169.254.169.254", false], // AWS, GCP, Azure metadata
    ["100.100.100.200", false], // Alibaba metadata
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["255.255.255.255", false],
    ["::1", false],
    ["::", false],
    ["fe80::1", false],
    ["fd00:ec2::254", false], // AWS metadata over IPv6
    ["ff02::1", false],
    ["::ffff:127.0.0.1", false], // IPv4-mapped
    ["::ffff:7f00:1", false],
    ["::ffff:169.254.169.254", false],
    ["64:ff9b::7f00:1", false], // NAT64 of 127.0.0.1
    ["2002:7f00:1::1", false], // 6to4
    ["not an address", false],
    ["93.184.215.14", true],
    ["::ffff:93.184.215.14", true],
    ["2606:4700:4700::1111", true],
    ["64:ff9b::8.8.8.8", true],
  ])("%s → public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe("the outbound dispatcher", () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it("refuses loopback by address, by name and as an IPv4-mapped IPv6 address; the listener gets nothing", async () => {
    const target = await listener((_req, res) => res.end("{}"));
    servers.push(target);
    const dispatcher = outboundDispatcher({ allowPrivateAddress: false });
    for (const url of [
      `${target.origin}/inbox`,
      `http://localhost:${target.port}/inbox`,
      `http://[::ffff:127.0.0.1]:${target.port}/inbox`,
    ]) {
      const error = await failure(fetch(url, { method: "POST", body: "{}", dispatcher } as RequestInit));
      expect(error, url).toBeInstanceOf(RefusedAddressError);
    }
    expect(target.requests).toHaveLength(0);
    // the same request with the setting on goes through
    const allowed = outboundDispatcher({ allowPrivateAddress: true });
    expect(
      (await fetch(`${target.origin}/inbox`, { method: "POST", body: "{}", dispatcher: allowed } as RequestInit))
        .status,
    ).toBe(200);
    expect(target.requests).toHaveLength(1);
  });

  it("cuts off an answer over the size cap, announced or not, and a compressed one", async () => {
    const big = "x".repeat(2 * 1024 * 1024);
    const target = await listener((req, res) => {
      if (req.url === "/announced") return res.writeHead(200, { "content-type": "application/activity+json" }).end(big);
      if (req.url === "/gzip") return res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(big));
      res.writeHead(200, { "content-type": "application/activity+json" });
      for (let i = 0; i < 32; i++) res.write("y".repeat(64 * 1024)); // 2 MiB, chunked, no length
      res.end();
    });
    servers.push(target);
    const dispatcher = outboundDispatcher({ allowPrivateAddress: true });
    for (const path of ["/announced", "/chunked", "/gzip"]) {
      const error = await failure(
        fetch(`${target.origin}${path}`, { dispatcher } as RequestInit).then((r) => r.text()),
      );
      expect(error, path).toBeInstanceOf(OutboundLimitError);
    }
    const small = await fetch(`${target.origin}/announced`, {
      dispatcher: outboundDispatcher({ allowPrivateAddress: true, maxBodyBytes: 3 * 1024 * 1024 }),
    } as RequestInit);
    expect((await small.text()).length).toBe(big.length);
  });

  it("gives up on a slow answer at the deadline, however it trickles", async () => {
    const target = await listener((_req, res) => {
      res.writeHead(200, { "content-type": "application/activity+json" });
      const drip = setInterval(() => res.write(" "), 100); // never idle long enough for an idle timeout
      res.on("close", () => clearInterval(drip));
    });
    servers.push(target);
    const started = Date.now();
    const error = await failure(
      fetch(`${target.origin}/slow`, {
        dispatcher: outboundDispatcher({ allowPrivateAddress: true, timeoutMs: 1500 }),
      } as RequestInit).then((r) => r.text()),
    );
    expect(error).toBeInstanceOf(OutboundLimitError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

/** A queue's jobs not yet done (waiting, retrying or running) and done. */
async function queueJobs(ensemble: TestEnsemble, queue = "fedify-outbox"): Promise<{ pending: number; done: number }> {
  const rows = (await ensemble.services.db.execute(
    sql`select count(*) filter (where state in ('created', 'retry', 'active'))::int as pending,
               count(*) filter (where state = 'completed')::int as done
        from pgboss.job where name = ${queue} or name = ${`${queue}-batch`}`,
  )) as unknown as { rows?: Array<{ pending: number; done: number }> } & Array<{ pending: number; done: number }>;
  return (rows.rows ?? rows)[0];
}

async function publishTo(ensemble: TestEnsemble, inboxes: string[]) {
  const db = ensemble.services.db;
  const community = await createCommunity(db, { handle: "climat", name: "Climat" });
  await db.insert(followers).values(
    inboxes.map((inboxUrl, i) => ({
      communityId: community.id,
      actorIri: `${new URL(inboxUrl).origin}/users/u${i}`,
      inboxUrl,
      sharedInboxUrl: null,
    })),
  );
  const campaign = await publishCampaign(
    db,
    await createCampaign(db, community.id, {
      title: "Rouen respire",
      steps: ["Sign"],
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 86400_000),
    }),
  );
  await announceCampaign(
    ensemble.federation.createContext(new URL(ensemble.origin), ensemble.services),
    community,
    campaign,
  );
}

describe.each(databaseKinds)("deliveries (%s)", (kind) => {
  let ensemble: TestEnsemble | undefined;
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await ensemble?.stop();
    ensemble = undefined;
    for (const s of servers.splice(0)) await s.close();
  });

  it("never reach a loopback inbox with ENSEMBLE_ALLOW_PRIVATE_ADDRESS off, by address or by name", async () => {
    const inbox = await listener((_req, res) => res.writeHead(202).end());
    servers.push(inbox);
    ensemble = await startTestEnsemble(kind, {
      ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "false",
      ENSEMBLE_DELIVERY_MAX_ATTEMPTS: "1",
    });
    await publishTo(ensemble, [`${inbox.origin}/users/a/inbox`, `http://localhost:${inbox.port}/users/b/inbox`]);
    // both deliveries were attempted and are over (dropped after their one attempt)…
    const e = ensemble;
    await waitFor(async () => {
      const { pending, done } = await queueJobs(e);
      return pending === 0 && done >= 2 ? true : undefined;
    }, 30_000);
    // …and not one byte reached the listener
    expect(inbox.requests).toHaveLength(0);
  });

  it("with the setting on, the same delivery arrives (the test above can fail)", async () => {
    const inbox = await listener((_req, res) => res.writeHead(202).end());
    servers.push(inbox);
    ensemble = await startTestEnsemble(kind);
    await publishTo(ensemble, [`${inbox.origin}/users/a/inbox`]);
    await waitFor(() => (inbox.requests.length > 0 ? true : undefined));
    expect(inbox.requests[0]).toMatchObject({ method: "POST", path: "/users/a/inbox" });
  });

  it("do not follow a redirect: the signed activity never reaches where a 307 points", async () => {
    const elsewhere = await listener((_req, res) => res.writeHead(202).end());
    const redirecting = await listener((_req, res) =>
      res.writeHead(307, { location: `${elsewhere.origin}/steal` }).end(),
    );
    servers.push(elsewhere, redirecting);
    ensemble = await startTestEnsemble(kind, { ENSEMBLE_DELIVERY_MAX_ATTEMPTS: "1" });
    await publishTo(ensemble, [`${redirecting.origin}/users/a/inbox`]);
    await waitFor(() => (redirecting.requests.length > 0 ? true : undefined));
    const e = ensemble;
    await waitFor(async () => ((await queueJobs(e)).pending === 0 ? true : undefined));
    expect(redirecting.requests[0].method).toBe("POST");
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe.each(databaseKinds)("remote documents and tags (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let peer: Peer;
  let documents: Awaited<ReturnType<typeof listener>>;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    peer = await startPeer({ usernames: ["alice"] });
    await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat" });
    documents = await listener((req, res) => {
      if (req.url === "/huge") {
        res.writeHead(200, { "content-type": "application/activity+json" });
        res.write(`{"@context":"${AS}","id":"${documents.origin}/huge","type":"Note","content":"`);
        for (let i = 0; i < 40; i++) res.write("a".repeat(64 * 1024)); // 2.5 MiB
        return res.end(`"}`);
      }
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await documents?.close();
    await peer?.close();
    await ensemble?.stop();
  });

  it("a remote document over 1 MiB is not loaded", async () => {
    const ctx = ensemble.federation.createContext(new URL(ensemble.origin), ensemble.services);
    const loaded = await ctx.lookupObject(`${documents.origin}/huge`).catch(() => null);
    expect(loaded).toBeNull();
    expect(documents.requests.some((r) => r.path === "/huge")).toBe(true);
  });

  it("a note with 1,000 tags causes no fetch; a mention among the first tags still counts", async () => {
    const urls = Array.from({ length: 1000 }, (_, i) => `${peer.origin}/tags/${i}`);
    const mention = { type: "Mention", href: `${ensemble.origin}/communities/climat`, name: "@climat" };
    const send = async (n: number, tag: unknown[]) => {
      const id = `${peer.origin}/users/alice/statuses/tags-${n}`;
      const note = {
        id,
        type: "Note",
        attributedTo: peer.actorUrl(),
        content: "<p>@climat on y va</p>",
        to: `${AS}#Public`,
        tag,
      };
      const res = await peer.signedPost(`${ensemble.origin}/inbox`, {
        "@context": AS,
        id: `${id}/activity`,
        type: "Create",
        actor: peer.actorUrl(),
        object: note,
      });
      expect(res.status).toBe(202);
      return id;
    };
    const mentionedFirst = await send(1, [mention, ...urls]);
    const mentionedLast = await send(2, [...urls, mention]);
    await waitFor(() => findInboundNote(ensemble.services.db, mentionedFirst));
    await waitFor(async () => {
      const { pending, done } = await queueJobs(ensemble, "fedify-inbox");
      return pending === 0 && done >= 2 ? true : undefined;
    });
    expect(await findInboundNote(ensemble.services.db, mentionedLast)).toBeUndefined();
    expect(peer.fetches.filter((f) => f.path.startsWith("/tags/"))).toHaveLength(0);
  });
});
