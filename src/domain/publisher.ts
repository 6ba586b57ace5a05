import type { Campaign, CampaignUpdate } from "./campaigns";
import type { Community } from "./communities";
import type { BlockDelivery } from "./moderation";

/**
 * How a steward's change reaches the fediverse. The steward actions (src/domain/campaign-actions.ts)
 * call this; federation/publisher.ts implements it with Fedify and the composition root
 * (src/http/app.ts) passes it in, so nothing under src/ needs to import federation/.
 * Each method only enqueues deliveries.
 */
export interface CampaignPublisher extends BlockDelivery {
  /** A draft went public: followers get the Question (or Event) as a Create. */
  published(community: Community, campaign: Campaign): Promise<void>;
  /** The campaign changed (edited, tallied, closed): followers get an Update. */
  edited(community: Community, campaign: Campaign): Promise<void>;
  /** A published campaign was removed: followers get a Delete. */
  deleted(community: Community, campaign: Campaign): Promise<void>;
  /** A steward's update post, sent to followers and participants. */
  updatePosted(community: Community, campaign: Campaign, update: CampaignUpdate): Promise<void>;
  /** The campaign's ActivityPub id (its Question). */
  campaignUri(community: Community, campaign: Campaign): URL;
  /** An update post's ActivityPub id. */
  updateUri(community: Community, campaign: Campaign, update: CampaignUpdate): URL;
}
