import type { FloatSpec } from '../../formats/float.js';
import { DEFAULT_CONTEXT, Mode, modeCode, type Context } from '../../round/modes.js';
import { srUniform } from '../../round/random.js';
import { FLAGS_SCALE, roundPackNum, zeroCode, zeroFlags } from '../../round/_internal/float-round.js';
import { decodeTable } from './_internal/fast.js';
import { bitsPlan, type BitsPlan } from './_internal/bits.js';
import { F64, HI, LO, U32 } from '../../round/_internal/float-round.js';
import { fma } from './fma.js';
import type { CodeArray } from './encode-array.js';

/**
 * Elementwise fused multiply-add over code arrays: out[i] = a[i]·b[i] + c[i] rounded once, with each
 * element's flags in `flagsOut` (when given); returns the OR of all flags. Bit-identical to {@link fma}
 * element by element (tested). For formats of at most 16 bits the operands are decoded through a table,
 * the exact sum is held as a binary64 value plus its TwoSum error, and one `roundPackNum` rounds it.
 *
 * @example
 * ```ts
 * const out = new Uint16Array(1);
 * fmaArray(catalog.fp16, new Uint16Array([0xbef8]), new Uint16Array([0x0890]), new Uint16Array([0]), out);
 * // => 1 (inexact); out[0] => 0x8bf3
 * ```
 */
export function fmaArray(
  s: FloatSpec,
  a: CodeArray,
  b: CodeArray,
  c: CodeArray,
  out: CodeArray,
  ctx: Context = DEFAULT_CONTEXT,
  flagsOut?: Uint8Array,
  indexBase = 0,
): number {
  const n = a.length;
  if (b.length !== n || c.length !== n || out.length < n) {
    throw new RangeError(`fmaArray: a, b and c must have one length and out at least that (a ${n}, b ${b.length}, c ${c.length}, out ${out.length})`);
  }
  const mode = modeCode(ctx.rounding);
  let all = 0;
  if (!s.fast || s.width > 16) {
    for (let i = 0; i < n; i++) {
      const r = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
      out[i] = Number(r.code);
      if (flagsOut) flagsOut[i] = r.flags;
      all |= r.flags;
    }
    return all;
  }
  const t = decodeTable(s);
  const plan = bitsPlan(s);
  if (plan !== null && mode === Mode.RNE) return fmaRne(s, plan, t, a, b, c, out, ctx, flagsOut, indexBase);
  const tb = ctx.tininess === 'before';
  const r = ctx.srBits;
  const signed = s.signed;
  for (let i = 0; i < n; i++) {
    const x = t[a[i]!]!;
    const y = t[b[i]!]!;
    const z = t[c[i]!]!;
    const p = x * y;
    const v = p + z;
    let packed: number;
    if (v - v !== 0) {
      // NaN or ∞ somewhere: the general path.
      const res = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
      packed = (res.code as number) + res.flags * FLAGS_SCALE;
    } else if (v === 0) {
      const neg = p === 0 && z === 0 && Object.is(p, z) ? Object.is(p, -0) : mode === Mode.RDN;
      packed = (zeroCode(s, neg) as number) + zeroFlags(s) * FLAGS_SCALE;
    } else {
      const bv = v - p;
      const err = p - (v - bv) + (z - bv);
      const neg = v < 0;
      if (neg && !signed) {
        const res = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
        packed = (res.code as number) + res.flags * FLAGS_SCALE;
      } else {
        const rest = err === 0 ? 0 : (err > 0) !== neg ? 1 : -1;
        const U = mode === Mode.SR ? srUniform(ctx.seed, ctx.stream, indexBase + i, r) : 0;
        packed = roundPackNum(s, neg, neg ? -v : v, rest, mode, tb, U, r);
      }
    }
    const code = packed % FLAGS_SCALE;
    const f = (packed - code) / FLAGS_SCALE;
    out[i] = code;
    if (flagsOut) flagsOut[i] = f;
    all |= f;
  }
  return all;
}

/**
 * Ties to even on the bit pattern of the binary64 sum v = a·b + c (exact product), with the TwoSum
 * residue `rel` (X = |v| + rel exactly) deciding what the bits of v alone cannot: a tie at the
 * rounding position is broken by the sign of rel, and a zero residue keeps the tie. The result is
 * normal and in range, or the element goes to the scalar path (tiny, overflowing, NaN, ∞).
 */
function fmaRne(
  s: FloatSpec,
  plan: BitsPlan,
  tab: Float64Array,
  a: CodeArray,
  b: CodeArray,
  c: CodeArray,
  out: CodeArray,
  ctx: Context,
  flagsOut: Uint8Array | undefined,
  indexBase: number,
): number {
  const { drop, expAdj, stickyMask, minT, maxT, oddAlways, signWeight, signed } = plan;
  const gShift = drop - 1;
  const minT1 = minT + 1; // strictly above the smallest normal binade's first code: never tiny
  const unsignedBit = signed ? 0 : 1;
  const f64 = F64;
  const u32 = U32;
  const iHi = HI;
  const iLo = LO;
  const n = a.length;
  let all = 0;
  for (let i = 0; i < n; i++) {
    const x = tab[a[i]!]!;
    const y = tab[b[i]!]!;
    const z = tab[c[i]!]!;
    const p = x * y;
    const v = p + z;
    const bv = v - p;
    const err = p - (v - bv) + (z - bv);
    f64[0] = err;
    const eHi = u32[iHi]!;
    const eMag = ((eHi & 0x7fffffff) | u32[iLo]!) | 0;
    f64[0] = v;
    const hi = u32[iHi]!;
    const lo = u32[iLo]!;
    const neg = hi >>> 31;
    // Branch-free on random data: nz = (err != 0), up = the residue increases the magnitude.
    const nz = (eMag | -eMag) >>> 31;
    const up = nz & (1 ^ ((eHi >>> 31) ^ neg));
    const absHi = hi & 0x7fffffff;
    const tr = (absHi >>> drop) - expAdj;
    const g = (absHi >>> gShift) & 1;
    const sx = ((absHi & stickyMask) | lo) | 0;
    const st = (sx | -sx) >>> 31;
    const tie = (1 ^ nz) & ((tr & 1) | oddAlways);
    const code = tr + (g & (st | up | tie));
    if (((tr - minT1) | (maxT - code)) < 0 || (neg & unsignedBit) !== 0 || v - v !== 0) {
      const res = fma(s, a[i]!, b[i]!, c[i]!, ctx, indexBase + i);
      out[i] = res.code as number;
      if (flagsOut) flagsOut[i] = res.flags;
      all |= res.flags;
      continue;
    }
    out[i] = code + neg * signWeight;
    const f = g | st | nz;
    if (flagsOut) flagsOut[i] = f;
    all |= f;
  }
  return all;
}
