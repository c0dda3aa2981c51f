/**
 * The exact (BigInt) kernel of fixed-point quantisation, for any width and any exact source.
 */

import { Flag } from '../../../flags.js';
import { bitLength } from '../../../formats/exact.js';
import { FixedQuantCode, type FixedResult, type FixedSpec } from '../../../formats/fixed.js';
import type { Context } from '../../../round/modes.js';
import { srUniform } from '../../../round/random.js';
import { quantIncrement } from './increment.js';
import { overflowBig } from './overflow.js';

/**
 * Quantises the exact source (-1)^neg · m · 2^-k, measured in lsbs of `spec` (m > 0; k > 0 means k
 * fraction bits to discard, k ≤ 0 an integer), with the spec's quantisation then overflow mode.
 *
 * @example
 * ```ts
 * roundBig(parseFixedFormat('s8.4:RND_CONV:SAT'), false, 39n, 1, DEFAULT_CONTEXT, 0); // => { raw: 20, flags: 1 } (19.5 lsb)
 * ```
 * @internal
 */
export function roundBig(spec: FixedSpec, neg: boolean, m: bigint, k: number, ctx: Context, index: number): FixedResult {
  const W = spec.width;
  let flags = 0;
  let n: bigint;
  let fl: bigint;
  if (k <= 0) {
    // 1a. An integer. Beyond 2^(W+2) only its sign and its (zero) low W+2 bits matter: keep those.
    fl = -k >= W + 2 ? 1n << BigInt(W + 2) : m << BigInt(-k);
    if (neg) fl = -fl;
    n = fl;
  } else {
    // 1b. Below 2^-40 lsb every source of one sign discards the same (guard, sticky, top 32 bits): keep one.
    if (k >= bitLength(m) + 40) {
      m = 1n;
      k = 40;
    }
    const kb = BigInt(k);
    const v = neg ? -m : m;
    fl = v >> kb; // floor
    const rem = v - (fl << kb); // the discarded fraction f·2^k, in [0, 2^k)
    n = fl;
    if (rem !== 0n) {
      // 2. Quantise: one decision from (sign, lsb, guard, sticky, random bits).
      flags |= Flag.inexact;
      const half = 1n << (kb - 1n);
      const mode = spec.quantCode;
      let srUp = 0;
      if (mode === FixedQuantCode.SR) {
        const r = ctx.srBits;
        let fr: number;
        let below = false;
        if (k >= r) {
          const sh = BigInt(k - r);
          fr = Number(rem >> sh);
          below = (rem & ((1n << sh) - 1n)) !== 0n;
        } else {
          fr = Number(rem << BigInt(r - k));
        }
        const u = srUniform(ctx.seed, ctx.stream, index, r);
        srUp = fr > u || (fr === u && below) ? 1 : 0;
      }
      const inc = quantIncrement(mode, neg ? 1 : 0, Number(fl & 1n), rem >= half ? 1 : 0, (rem & (half - 1n)) !== 0n ? 1 : 0, srUp);
      n = fl + BigInt(inc);
    }
  }
  // 3. Overflow: out of range (or minRaw under signed SAT_SYM).
  if (n > spec.maxRawBig || n < spec.keepLoBig) {
    flags |= Flag.overflow;
    n = overflowBig(spec, n, neg, fl);
  }
  return { raw: spec.wide ? n : Number(n), flags };
}
