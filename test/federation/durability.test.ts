import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../helpers/databases";
import { tempDir, testEnv } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { runCli, startServerProcess } from "../helpers/process";

describe.each(databaseKinds)("an accepted activity survives a crash before it is handled (%s)", (kind) => {
  let peer: Peer;
  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    peer = await startPeer();
    dir = tempDir();
    ({ env, drop } = await testEnv(kind, { ENSEMBLE_DATA_DIR: dir.path }));
  });
  afterAll(async () => {
    await peer?.close();
    await drop?.();
    dir?.remove();
  });

  it("is processed by the next process after SIGKILL", async () => {
    const origin = env.ENSEMBLE_ORIGIN;
    // a web-only node accepts and enqueues but never handles
    const web = await startServerProcess({ ...env, ENSEMBLE_ROLE: "web" }, origin);
    try {
      const created = await runCli(["community", "create", "climat", "--name", "Climat"], env);
      expect(created.stderr).toBe("");
      expect(created.stdout).toContain("Created @climat@");
      const follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${peer.origin}/follows/crash`,
        type: "Follow",
        actor: peer.actorUrl(),
        object: `${origin}/communities/climat`,
      };
      expect((await peer.signedPost(`${origin}/communities/climat/inbox`, follow)).status).toBe(202);
    } finally {
      web.child.kill("SIGKILL");
      await web.exited;
    }
    expect(peer.deliveries).toHaveLength(0);

    const worker = await startServerProcess({ ...env, ENSEMBLE_ROLE: "all" }, origin);
    try {
      const accept = await peer.waitForDelivery((d) => d.body?.type === "Accept", 30_000);
      expect(accept.verified).toBe(true);
      expect(accept.body.object.id ?? accept.body.object).toBe(`${peer.origin}/follows/crash`);
      const followers = await (
        await fetch(`${origin}/communities/climat/followers`, { headers: { accept: "application/activity+json" } })
      ).json();
      expect(followers.totalItems).toBe(1);
    } finally {
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    }
  }, 120_000);
});
