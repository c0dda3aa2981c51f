/**
 * The number kernel of fixed-point quantisation: the exact source is a binary64 number q in lsb
 * units of a format of width ≤ 52. No BigInt and no allocation.
 */

import { Flag } from '../../../flags.js';
import { FixedQuantCode, type FixedSpec } from '../../../formats/fixed.js';
import type { Context } from '../../../round/modes.js';
import { srUniform } from '../../../round/random.js';
import { quantIncrement } from './increment.js';
import { overflowNumber } from './overflow.js';

/** Where {@link roundNumber} ORs its flags. @internal */
export interface FlagSink {
  flags: number;
}

/**
 * Quantises q (finite, and *exactly* the source value measured in lsbs of `spec`, which is not
 * wide) with the spec's quantisation then overflow mode. Returns the raw value and ORs the flags
 * into `out.flags`.
 *
 * @example
 * ```ts
 * const out = { flags: 0 };
 * roundNumber(parseFixedFormat('s8.4:RND_CONV:SAT'), 19.5, DEFAULT_CONTEXT, 0, out); // => 20, out.flags === 1
 * ```
 * @internal
 */
export function roundNumber(spec: FixedSpec, q: number, ctx: Context, index: number, out: FlagSink): number {
  // 1. Split q = floor(q) + f, f ∈ [0, 1). f = q - floor(q) is exact in binary64 for q ≥ 0 and for
  //    q ≤ -1/2 (Sterbenz); for -1/2 < q < 0, f = 1 + q may not be, so that case reads q itself.
  const fl = Math.floor(q);
  let n = fl;
  // 2. Quantise: one decision from (sign, lsb, guard, sticky, random bits).
  if (q !== fl) {
    out.flags |= Flag.inexact;
    const mode = spec.quantCode;
    const neg = +(q < 0); // conditions enter the bitwise decision as bits (no branch)
    const small = neg & +(q > -0.5); // then f > 1/2: guard and sticky are set
    const f = q - fl;
    let srUp = 0;
    if (mode === FixedQuantCode.SR) {
      // fr = floor(f·2^r) and whether f·2^r has a fraction (the sticky bits below the random bits).
      const p = 2 ** ctx.srBits;
      let fr: number;
      let below: boolean;
      if (small) {
        const s = -q * p; // f·2^r = 2^r - s, s exact
        fr = p - Math.ceil(s);
        below = s !== Math.floor(s);
      } else {
        const t = f * p;
        fr = Math.floor(t);
        below = t !== fr;
      }
      const u = srUniform(ctx.seed, ctx.stream, index, ctx.srBits);
      srUp = fr > u || (fr === u && below) ? 1 : 0;
    }
    const odd = fl - 2 * Math.floor(fl * 0.5); // floor(q) mod 2, 0 or 1 (no fmod call)
    const guard = +(f >= 0.5) | small;
    const sticky = +(f !== 0.5) | small;
    n = fl + quantIncrement(mode, neg, odd, guard, sticky, srUp);
  }
  // 3. Overflow: out of range (or minRaw under signed SAT_SYM).
  if (n > spec.hiNum || n < spec.keepLoNum) {
    out.flags |= Flag.overflow;
    return overflowNumber(spec, n, q < 0, fl);
  }
  return n + 0; // no -0
}
