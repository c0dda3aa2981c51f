/**
 * The quantisation decision of every fixed-point mode, in one place (`docs/semantics.md` §4,
 * `docs/fixed.md` §3). A result is always formed as floor(q) + increment, where q is the exact
 * source in lsb units; this routine decides the increment.
 */

import { FixedQuantCode } from '../../../formats/fixed.js';

/**
 * The increment (0 or 1) to add to floor(q), from what was discarded. Every argument is a bit (0 or 1):
 * - `neg`: the source is negative;
 * - `odd`: the kept lsb, floor(q) mod 2;
 * - `guard`: the discarded fraction f = q - floor(q) is ≥ 1/2 (its top bit);
 * - `sticky`: any discarded bit below the guard bit is 1;
 * - `srUp`: the stochastic decision f·2^r > U (computed only for `SR`, sticky bits below the r
 *   random bits included).
 * With nothing discarded (guard, sticky and srUp 0) no mode increments. Each mode is one bitwise
 * expression, so the hot loops take no data-dependent branch here.
 *
 * @example
 * ```ts
 * // q = 2.5: floor 2 (even), guard 1, sticky 0: a tie.
 * quantIncrement(FixedQuantCode.RND_CONV, 0, 0, 1, 0, 0); // => 0 (stays at 2)
 * quantIncrement(FixedQuantCode.RND, 0, 0, 1, 0, 0); // => 1 (3)
 * ```
 * @internal
 */
export function quantIncrement(mode: FixedQuantCode, neg: number, odd: number, guard: number, sticky: number, srUp: number): number {
  switch (mode) {
    case FixedQuantCode.TRN: // floor
      return 0;
    case FixedQuantCode.TRN_ZERO: // toward zero: negatives move up
      return neg & (guard | sticky);
    case FixedQuantCode.RND: // nearest, ties toward +∞
      return guard;
    case FixedQuantCode.RND_ZERO: // nearest, ties toward zero
      return guard & (sticky | neg);
    case FixedQuantCode.RND_MIN_INF: // nearest, ties toward -∞
      return guard & sticky;
    case FixedQuantCode.RND_INF: // nearest, ties away from zero
      return guard & (sticky | (neg ^ 1));
    case FixedQuantCode.RND_CONV: // nearest, ties to even
      return guard & (sticky | odd);
    case FixedQuantCode.RND_CONV_ODD: // nearest, ties to odd
      return guard & (sticky | (odd ^ 1));
    default: // SR
      return srUp;
  }
}
