// Differential-privacy noise that cannot be averaged away.
//
// Every noisy statistic is keyed by its identity (scope, window, target, statistic) and by the
// exact value it hides: reading the same figure again, from any process or after a restart,
// returns the same noisy value, so re-reading teaches nothing. When the exact value changes
// (new replies), fresh noise is drawn: that is a new release, and the methodology page says so.
// The key is a secret generated once and kept in the database (report_noise_secrets); with a
// per-process secret, replicas and restarts would each draw fresh noise for the same figure and
// averaging their answers would remove it.

import { createHmac, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { query, type Executor } from "../rollups/db";

const SECRET_NAME = "report-noise";

/** The instance's noise secret, created on first use (concurrent first uses agree: one insert wins). */
export async function reportNoiseSecret(db: Executor): Promise<Buffer> {
  const read = async () =>
    (await query<{ secret: string }>(db, sql`select secret from report_noise_secrets where name = ${SECRET_NAME}`))[0];
  let row = await read();
  if (!row) {
    await db.execute(sql`
      insert into report_noise_secrets (name, secret) values (${SECRET_NAME}, ${randomBytes(32).toString("base64")})
      on conflict (name) do nothing`);
    row = await read();
  }
  return Buffer.from(row.secret, "base64");
}

/** A statistic's identity: what it measures, never who is in it. */
export type StatisticId = readonly (string | number)[];

/**
 * The exact value as keyed: sums of clipped contributions are exact decimals from SQL numeric,
 * rounded here so that the same data always gives the same key.
 */
const keyOf = (value: number) => value.toFixed(9);

/** Uniform in (0, 1) from 48 bits of HMAC(secret, identity ‖ value). */
function keyedUniform(secret: Buffer, id: StatisticId, value: number): number {
  const digest = createHmac("sha256", secret)
    .update(JSON.stringify([id, keyOf(value)]))
    .digest();
  return (digest.readUIntBE(0, 6) + 0.5) / 2 ** 48;
}

/** Laplace(0, scale) by inverse CDF, the same draw for the same statistic and value. */
export function keyedLaplace(secret: Buffer, id: StatisticId, value: number, scale: number): number {
  const u = keyedUniform(secret, id, value) - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}
