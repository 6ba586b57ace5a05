/**
 * IEEE 754 binary16 conversion (round to nearest, ties to even). The embedding table is
 * stored as float16 in the ONNX file to fit twice the hash buckets in the 30 MB budget.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toHalfBits(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = ((b >>> 23) & 0xff) - 127 + 15;
  let mant = b & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (exp << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent.
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function fromHalfBits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function toHalf(xs: Float32Array): Uint16Array {
  return Uint16Array.from(xs, toHalfBits);
}

let table: Float32Array | undefined;

/** Decodes through a 65,536-entry table: the embedding has millions of entries. */
export function fromHalf(hs: Uint16Array): Float32Array {
  table ??= Float32Array.from({ length: 65536 }, (_, h) => fromHalfBits(h));
  const out = new Float32Array(hs.length);
  for (let i = 0; i < hs.length; i++) out[i] = table[hs[i]];
  return out;
}
