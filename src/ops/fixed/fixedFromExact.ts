import type { ExactValue } from '../../formats/exact.js';
import { Flag } from '../../flags.js';
import type { FixedResult, FixedSpec } from '../../formats/fixed.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import { overflowBig } from './_internal/overflow.js';
import { roundBig } from './_internal/roundBig.js';

/**
 * Converts an exact value to a fixed format: quantisation (the spec's `quant`) then overflow (the
 * spec's `overflow`), once each (`docs/semantics.md` §4). Only `seed`, `stream` and `srBits` of the
 * context are used (by `SR`), with `index` naming the element for the random source.
 *
 * Non-finite sources (ap_fixed leaves them undefined):
 * - NaN gives raw 0 and raises `invalid`;
 * - ±∞ behaves as a value of that sign beyond every range whose low bits are all zero: SAT gives
 *   maxRaw/minRaw, SAT_SYM ±maxRaw, SAT_ZERO and WRAP (N = 0) 0, WRAP/WRAP_SM with N ≥ 1 the
 *   saturated top bits over zeros; it raises `overflow`.
 *
 * Flags: `inexact` when a non-zero fraction was discarded, `overflow` when the overflow mode acted.
 *
 * @example
 * ```ts
 * const f = fixedFormat({ width: 8, frac: 4, quant: 'RND_CONV', overflow: 'SAT' });
 * fixedFromExact(f, exactFromNumber(1.21875)); // => { raw: 20, flags: 1 } (19.5 lsb, a tie, to even)
 * fixedFromExact(f, exactFromNumber(100)); // => { raw: 127, flags: 4 } (saturated: 7.9375)
 * fixedFromExact(f, exactFromNumber(-Infinity)); // => { raw: -128, flags: 4 }
 * fixedFromExact(f, exactFromNumber(NaN)); // => { raw: 0, flags: 16 }
 * ```
 */
export function fixedFromExact(spec: FixedSpec, x: ExactValue, ctx: Context = DEFAULT_CONTEXT, index = 0): FixedResult {
  switch (x.kind) {
    case 'finite':
      if (x.sig === 0n) return { raw: spec.wide ? 0n : 0, flags: 0 }; // a zero significand is a zero
      return roundBig(spec, x.sign === 1, x.sig < 0n ? -x.sig : x.sig, -(x.exp + spec.frac), ctx, index);
    case 'zero':
      return { raw: spec.wide ? 0n : 0, flags: 0 };
    case 'nan':
      return { raw: spec.wide ? 0n : 0, flags: Flag.invalid };
    case 'inf': {
      const big = 1n << BigInt(spec.width + 2);
      const n = x.sign === 1 ? -big : big;
      const raw = overflowBig(spec, n, x.sign === 1, n);
      return { raw: spec.wide ? raw : Number(raw), flags: Flag.overflow };
    }
  }
}
