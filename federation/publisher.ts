import type { Federation } from "@fedify/fedify";
import type { CampaignPublisher } from "../src/domain/publisher";
import { originContext, type Services } from "../src/services";
import { campaignUri, updateUri } from "./campaign-object";
import {
  announceBlock,
  announceCampaign,
  announceCampaignDeleted,
  announceCampaignEdit,
  announceCampaignUpdate,
  announceUnblock,
} from "./outbox";

/** The steward actions' way out to the fediverse: the outbox functions, each in a fresh context. */
export function campaignPublisher(federation: Federation<Services>, services: Services): CampaignPublisher {
  const ctx = () => originContext(federation, services);
  return {
    published: (community, campaign) => announceCampaign(ctx(), community, campaign),
    edited: (community, campaign) => announceCampaignEdit(ctx(), community, campaign),
    deleted: (community, campaign) => announceCampaignDeleted(ctx(), community, campaign),
    updatePosted: (community, campaign, update) => announceCampaignUpdate(ctx(), community, campaign, update),
    block: (community, actorIri, blockedAt) => announceBlock(ctx(), community, actorIri, blockedAt),
    unblock: (community, actorIri, blockedAt) => announceUnblock(ctx(), community, actorIri, blockedAt),
    campaignUri: (community, campaign) => campaignUri(ctx(), community, campaign),
    updateUri: (community, campaign, update) => updateUri(ctx(), community, campaign, update),
  };
}
