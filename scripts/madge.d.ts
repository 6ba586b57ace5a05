// madge 8 ships no types; the part of its API that scripts/check-layers.ts uses.
declare module "madge" {
  interface MadgeResult {
    /** Each file (relative to baseDir) and the files it imports. */
    obj(): Record<string, string[]>;
  }
  export default function madge(
    paths: string[],
    config?: { fileExtensions?: string[]; baseDir?: string; tsConfig?: string },
  ): Promise<MadgeResult>;
}
