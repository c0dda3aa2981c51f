import type { FixedRaw, FixedResult, FixedSpec } from '../../formats/fixed.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import { roundBig } from './_internal/roundBig.js';
import { roundNumber } from './_internal/roundNumber.js';

const MIN_NORMAL = 2 ** -1022;

/**
 * Assigns a raw value of one fixed format to another, with the target's quantisation then overflow
 * mode — ap_fixed's `T t = s;` (the source's own modes play no part). `index` names the element for
 * stochastic rounding.
 *
 * @example
 * ```ts
 * const acc = parseFixedFormat('ap_fixed<32,16>');
 * fixedConvert(acc, 0x3b800, parseFixedFormat('ap_fixed<8,4,AP_RND_CONV,AP_SAT>')); // => { raw: 60, flags: 1 } (59.5 lsb to even)
 * fixedConvert(acc, -65536, parseFixedFormat('ap_ufixed<8,4,AP_TRN,AP_SAT>')); // => { raw: 0, flags: 4 }
 * ```
 */
export function fixedConvert(
  source: FixedSpec,
  raw: FixedRaw,
  target: FixedSpec,
  ctx: Context = DEFAULT_CONTEXT,
  index = 0,
): FixedResult {
  const shift = target.frac - source.frac;
  // 1. Number path: raw is exact, and so is raw·2^shift while it stays normal.
  if (typeof raw === 'number' && !target.wide && shift >= -1022 && shift <= 1023) {
    const q = raw * 2 ** shift;
    const m = Math.abs(q);
    if (raw === 0 || (m >= MIN_NORMAL && m < Infinity)) {
      const out = { raw: 0, flags: 0 };
      out.raw = roundNumber(target, q, ctx, index, out);
      return out;
    }
  }
  // 2. Exact path.
  const v = BigInt(raw);
  if (v === 0n) return { raw: target.wide ? 0n : 0, flags: 0 };
  return roundBig(target, v < 0n, v < 0n ? -v : v, -shift, ctx, index);
}
