import { and, count, desc, eq, inArray, or } from "drizzle-orm";
import { logCheckpoints, logLeaves, logNodes } from "../../drizzle/schema";
import type { Db } from "../db/database";
import { LeafConflictError, type LogStorage } from "./log";
import type { Hash, NodeId, TreeNode } from "./merkle";

/** The log on the project's database; the primary key on leaf index serialises appends across processes. */
export class DrizzleLogStorage implements LogStorage {
  constructor(private readonly db: Db) {}

  async size(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(logLeaves);
    return row.n;
  }

  async nodeHashes(ids: readonly NodeId[]): Promise<Hash[]> {
    if (ids.length === 0) return [];
    const byLevel = new Map<number, number[]>();
    for (const { level, index } of ids) byLevel.set(level, [...(byLevel.get(level) ?? []), index]);
    const rows = await this.db
      .select()
      .from(logNodes)
      .where(
        or(...[...byLevel].map(([level, indexes]) => and(eq(logNodes.level, level), inArray(logNodes.index, indexes)))),
      );
    const found = new Map(rows.map((r) => [`${r.level}/${r.index}`, r.hash]));
    return ids.map(({ level, index }) => {
      const hash = found.get(`${level}/${index}`);
      if (!hash) throw new RangeError(`node ${level}/${index} is not stored`);
      return hash;
    });
  }

  async appendLeaf(index: number, data: Uint8Array, nodes: readonly TreeNode[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [{ n }] = await tx.select({ n: count() }).from(logLeaves);
      if (n !== index) throw new LeafConflictError(`leaf ${index} cannot follow ${n} leaves`);
      await tx.insert(logLeaves).values({ index, data });
      if (nodes.length)
        await tx.insert(logNodes).values(nodes.map(({ level, index: i, hash }) => ({ level, index: i, hash })));
    });
  }

  async latestCheckpoint(): Promise<string | undefined> {
    const [row] = await this.db
      .select({ note: logCheckpoints.note })
      .from(logCheckpoints)
      .orderBy(desc(logCheckpoints.id))
      .limit(1);
    return row?.note;
  }

  async saveCheckpoint(note: string): Promise<void> {
    const size = Number(note.split("\n")[1]);
    await this.db.insert(logCheckpoints).values({ size, note });
  }

  async leafData(index: number): Promise<Uint8Array | undefined> {
    const [row] = await this.db.select({ data: logLeaves.data }).from(logLeaves).where(eq(logLeaves.index, index));
    return row?.data;
  }
}
