import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { and, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import { kv } from "../../drizzle/schema";
import type { Db } from "./database";

// Parts are URI-encoded so that "/" can separate them and prefixes stay prefixes.
const encodeKey = (key: KvKey) => key.map(encodeURIComponent).join("/");
const decodeKey = (key: string) => key.split("/").map(decodeURIComponent) as unknown as KvKey;

function expiry(options?: KvStoreSetOptions): Date | null {
  return options?.ttl ? new Date(Date.now() + options.ttl.total("millisecond")) : null;
}

// Fedify caches "this key could not be fetched" as null; a bare null would be SQL NULL, which
// the NOT NULL column refuses (a 500 for any activity signed by a gone or missing key).
const jsonValue = (value: unknown) => (value === null ? sql`'null'::jsonb` : value);

const live = or(isNull(kv.expiresAt), gt(kv.expiresAt, sql`now()`));

/** Fedify's key–value store on the project's own database, so caches and idempotence survive restarts. */
export class DrizzleKvStore implements KvStore {
  constructor(private readonly db: Db) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const [row] = await this.db
      .select({ value: kv.value })
      .from(kv)
      .where(and(eq(kv.key, encodeKey(key)), live));
    return row?.value as T | undefined;
  }

  async set(key: KvKey, given: unknown, options?: KvStoreSetOptions): Promise<void> {
    const expiresAt = expiry(options);
    const value = jsonValue(given);
    await this.db
      .insert(kv)
      .values({ key: encodeKey(key), value, expiresAt })
      .onConflictDoUpdate({ target: kv.key, set: { value, expiresAt } });
  }

  async delete(key: KvKey): Promise<void> {
    await this.db.delete(kv).where(eq(kv.key, encodeKey(key)));
  }

  async cas(key: KvKey, expectedValue: unknown, given: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const k = encodeKey(key);
    const newValue = jsonValue(given);
    const expiresAt = expiry(options);
    if (expectedValue === undefined) {
      // absent, or present but expired, counts as "undefined"
      const rows = await this.db
        .insert(kv)
        .values({ key: k, value: newValue, expiresAt })
        .onConflictDoUpdate({
          target: kv.key,
          set: { value: newValue, expiresAt },
          setWhere: lte(kv.expiresAt, sql`now()`),
        })
        .returning({ key: kv.key });
      return rows.length > 0;
    }
    const rows = await this.db
      .update(kv)
      .set({ value: newValue, expiresAt })
      .where(and(eq(kv.key, k), live, sql`${kv.value} = ${JSON.stringify(expectedValue)}::jsonb`))
      .returning({ key: kv.key });
    return rows.length > 0;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const p = prefix ? encodeKey(prefix) : undefined;
    const rows = await this.db
      .select()
      .from(kv)
      .where(p === undefined ? live : and(live, or(eq(kv.key, p), sql`starts_with(${kv.key}, ${`${p}/`})`)));
    for (const row of rows) yield { key: decodeKey(row.key), value: row.value };
  }

  /** Drops expired entries; the server calls it periodically. */
  async sweep(): Promise<void> {
    await this.db.delete(kv).where(lte(kv.expiresAt, sql`now()`));
  }
}
