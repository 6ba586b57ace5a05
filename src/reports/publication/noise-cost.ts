// What the privacy noise costs a report, by campaign size: the 95% interval of a group's share
// with and without the expected noise of the default release (private.ts), for the methodology
// page and `npm run report:privacy`. Deterministic arithmetic on the shipped rates; no data read.

import { probabilisticAdjustedClassifyAndCount, type ShareSample } from "../statistics/estimators";
import { mixedRates } from "../statistics/language-mix";
import { languageTargetsOf, type ModelInfo } from "../model/model-info";
import { planRelease } from "./private";

/** Campaign sizes (people) the cost is read at. */
export const CAMPAIGN_SIZES = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800] as const;

/** The report summary's "too few replies to tell": an interval 6 tenths wide or more (pages/report.tsx). */
export const UNINFORMATIVE_WIDTH = 0.6;

export interface NoiseCostCase {
  language: "en" | "fr";
  group: string;
  /** The true share the campaign is assumed to have. */
  truth: number;
  view: "message" | "person";
  /** Replies per person (at most c of them count). */
  perAuthor: number;
}

export interface NoiseCost {
  people: number;
  widthExact: number;
  widthNoisy: number;
  /** Share of the observed share's variance that is noise. */
  noiseShare: number;
}

export function noiseCost(model: ModelInfo, epsilon: number, c: number, k: NoiseCostCase, people: number): NoiseCost {
  const release = planRelease(epsilon, Object.keys(model.groups).length, c, languageTargetsOf(model).length);
  const rates = mixedRates(model, { kind: "group", name: k.group }, { [k.language]: 1 });
  const mean = rates.meanProbNeg + (rates.meanProbPos - rates.meanProbNeg) * k.truth;
  const notes = Math.min(c, k.perAuthor) * people;
  // The expected noise variance of the released share, as private.ts adds it to the interval.
  const noise =
    k.view === "message"
      ? (2 * release.scale.message ** 2 * (1 + mean * mean)) / (notes * notes)
      : (2 * release.scale.person ** 2 + 2 * release.scale.authors ** 2 * mean * mean) / people ** 2;
  const sample = (noiseVariance: number): ShareSample => ({
    mean,
    units: people,
    effectiveSize: k.view === "message" ? Math.max(1, notes / c) : people,
    noiseVariance,
  });
  const width = (s: ShareSample) => {
    const e = probabilisticAdjustedClassifyAndCount(s, rates, model.devSize);
    return e.high - e.low;
  };
  const exact = sample(0);
  const sampling = (mean * (1 - mean)) / exact.effectiveSize;
  return {
    people,
    widthExact: width(exact),
    widthNoisy: width(sample(noise)),
    noiseShare: noise / (noise + sampling),
  };
}

/** The smallest listed size where `ok` holds, and holds for every larger one; null if none. */
export function sizeFrom(costs: readonly NoiseCost[], ok: (c: NoiseCost) => boolean): number | null {
  let from: number | null = null;
  for (const c of costs) {
    if (!ok(c)) from = null;
    else from ??= c.people;
  }
  return from;
}

/** The sizes that summarise the cost: where noise is under half the variance, where the interval says something. */
export function noiseThresholds(model: ModelInfo, epsilon: number, c: number, k: NoiseCostCase) {
  const costs = CAMPAIGN_SIZES.map((m) => noiseCost(model, epsilon, c, k, m));
  return {
    costs,
    noiseUnderHalf: sizeFrom(costs, (x) => x.noiseShare < 0.5),
    informativeNoisy: sizeFrom(costs, (x) => x.widthNoisy < UNINFORMATIVE_WIDTH),
    informativeExact: sizeFrom(costs, (x) => x.widthExact < UNINFORMATIVE_WIDTH),
  };
}
