import { createHash } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import { Hono } from "hono";
import { findCommunity } from "../domain/communities";
import type { Db } from "../db/database";

/**
 * Each community's avatar and header, generated from its handle alone: a symmetric pattern of
 * squares in two colours derived from the handle's SHA-256, so every community looks distinct,
 * the same image comes back every time, and nothing a steward uploads needs checking. PNG,
 * which every fediverse server accepts, written directly (an image library is not needed for
 * flat squares).
 */
export type CommunityImage = "avatar" | "header";

const SIZES: Record<CommunityImage, { width: number; height: number; columns: number; rows: number }> = {
  avatar: { width: 400, height: 400, columns: 8, rows: 8 },
  header: { width: 1500, height: 500, columns: 24, rows: 8 },
};

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour RGB
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    raw[row] = 0; // no filter
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export function communityImagePng(handle: string, kind: CommunityImage): Buffer {
  const hash = createHash("sha256").update(`ensemble:${handle}`).digest();
  const { width, height, columns, rows } = SIZES[kind];
  const hue = ((hash[0] << 8) | hash[1]) % 360;
  const ink = hsl(hue, 0.55, 0.42);
  const paper = hsl((hue + 30) % 360, 0.35, 0.93);
  const half = Math.ceil(columns / 2);
  // left half from the hash's bits, mirrored to the right
  const filled = (column: number, row: number) => {
    const c = column < half ? column : columns - 1 - column;
    const bit = (row * half + c) % (hash.length * 8 - 16);
    return (hash[2 + (bit >> 3)] >> (bit & 7)) & 1;
  };
  const cellW = width / columns;
  const cellH = height / rows;
  return png(width, height, (x, y) => (filled(Math.floor(x / cellW), Math.floor(y / cellH)) ? ink : paper));
}

export function communityImageRoutes(db: Db) {
  const app = new Hono();
  for (const kind of ["avatar", "header"] as const) {
    app.get(`/communities/:handle/${kind}.png`, async (c) => {
      const community = await findCommunity(db, c.req.param("handle"));
      if (!community) return c.notFound();
      return c.body(new Uint8Array(communityImagePng(community.handle, kind)), 200, {
        "content-type": "image/png",
        // the image depends on the handle alone, which never changes
        "cache-control": "public, max-age=86400, immutable",
      });
    });
  }
  return app;
}
