import { createCommunity, type Community } from "../../src/domain/communities";
import { issueToken } from "../../src/domain/tokens";
import type { TestEnsemble } from "../helpers/ensemble";

/** Calls the Steward API for one community's campaigns; a string body is sent as is. */
export function campaignsApi(ensemble: TestEnsemble, handle: string, token?: string) {
  return (method: string, path = "", body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${ensemble.origin}/api/v1/communities/${handle}/campaigns${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
}

export async function communityWithToken(
  ensemble: TestEnsemble,
  handle: string,
  options: { role?: string } = {},
): Promise<{ community: Community; token: string }> {
  const community = await createCommunity(ensemble.services.db, { handle, name: `Community ${handle}` });
  const token = await issueToken(ensemble.services.db, ensemble.origin, community, options);
  return { community, token };
}

const day = 86_400_000;

export function validCampaign(overrides: Record<string, unknown> = {}) {
  return {
    title: "Vélo au travail",
    description: "Venir **à vélo** une semaine.",
    steps: ["Signer la pétition", "Venir à la réunion"],
    startsAt: new Date(Date.now() - day).toISOString(),
    endsAt: new Date(Date.now() + 30 * day).toISOString(),
    goal: 10,
    ...overrides,
  };
}
