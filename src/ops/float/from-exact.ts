import type { FloatSpec } from '../../formats/float.js';
import type { ExactValue } from '../../formats/exact.js';
import { Flag } from '../../flags.js';
import type { Context } from '../../round/modes.js';
import { nanCode, zeroCode, zeroFlags } from '../../round/_internal/float-round.js';
import { roundArgs, type FloatResult } from './_internal/args.js';
import { infResult, round } from './_internal/general.js';
import { invalidResult } from './_internal/specialize.js';

/**
 * Rounds an exact value (from any number system) into a float format, once.
 * A NaN becomes this format's quiet NaN with the source sign (a signalling source raises invalid; a
 * format without NaN gives its negative-zero code with invalid); an infinity becomes ±∞ or what the
 * overflow policy gives instead.
 *
 * @example
 * ```ts
 * fromExact(catalog.fp16, { kind: 'finite', sign: 0, sig: 3n, exp: -1 }); // => { code: 0x3e00, flags: 0 } (1.5)
 * ```
 */
export function fromExact(s: FloatSpec, x: ExactValue, ctx?: Context, index?: number): FloatResult {
  const ra = roundArgs(ctx, index);
  switch (x.kind) {
    case 'nan':
      return { code: nanCode(s, x.sign === 1), flags: !x.quiet || !s.hasNaN ? Flag.invalid : 0 };
    case 'inf':
      if (x.sign === 1 && !s.signed) return invalidResult(s);
      return {
        code: infResult(s, x.sign === 1),
        flags: s.hasInf ? 0 : s.overflow === 'saturate' ? Flag.overflow | Flag.inexact : Flag.invalid,
      };
    case 'zero':
      return { code: zeroCode(s, x.sign === 1), flags: zeroFlags(s) };
    case 'finite':
      return round(s, x.sign === 1, x.sig, x.exp, false, ra);
  }
}
