import { Hono } from "hono";
import type { Services } from "../../services";
import { appoint, appointment, governance, removeRole, rulesInput, setRules } from "../../domain/governance";
import { governanceJson } from "../../domain/governance-json";
import { readRecordedGovernance } from "../../domain/governance-record";
import { stewardsOnly, type ApiEnv } from "./auth";
import { readJson } from "./body";
import { ApiError } from "./errors";
import { communityUrl } from "../../domain/urls";

/** Roles and rules of the community in the path; every change is an act in the public record. */
export function governanceRoutes(services: Services): Hono<ApiEnv> {
  const { db, config } = services;
  const app = new Hono<ApiEnv>();

  app.get("/", async (c) => {
    const community = c.get("community");
    const url = communityUrl(config.origin, community.handle);
    const view = governanceJson(config.origin, url, await readRecordedGovernance(db, community.id, url));
    // stewards also get each current role's id, to remove it; the rest is the public view
    const live = (await governance(db, community.id)).roles;
    const id = (actor: string, role: string) => live.find((r) => r.actor === actor && r.role === role)?.id;
    return c.json({ ...view, roles: view.roles.map((r) => ({ id: id(r.actor, r.role), ...r })) });
  });

  app.post("/roles", stewardsOnly, async (c) => {
    if (!services.lookupAccount) throw new Error("This process cannot look up fediverse accounts.");
    const role = await appoint(
      services,
      c.get("community"),
      await readJson(c, appointment),
      c.get("grant").label,
      services.lookupAccount,
    );
    return c.json(
      {
        id: role.id,
        actor: role.actor,
        handle: role.handle,
        role: role.role,
        since: role.since,
        appointedBy: role.appointedBy,
      },
      201,
    );
  });

  app.delete("/roles/:id", stewardsOnly, async (c) => {
    const removed = await removeRole(services, c.get("community"), c.req.param("id"), c.get("grant").label);
    if (!removed) throw new ApiError(404, "Not found", "No such current role holder here.");
    return c.body(null, 204);
  });

  app.put("/rules", stewardsOnly, async (c) => {
    const rules = await setRules(services, c.get("community"), await readJson(c, rulesInput), c.get("grant").label);
    return c.json({ version: rules.version, text: rules.text, createdAt: rules.createdAt });
  });

  return app;
}
