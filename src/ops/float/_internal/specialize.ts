/**
 * Platform choices in one small place (SoftFloat's `specialize.h`): the default NaN, NaN
 * propagation and the conversion of NaNs between formats. This is the 8086-SSE behaviour,
 * generalised to every special-value encoding (docs/semantics.md §3).
 * @internal
 */
import type { FloatSpec } from '../../../formats/float.js';
import { Flag } from '../../../flags.js';
import { defaultNaNCode, nanCode, pack } from '../../../round/_internal/float-round.js';
import { K, type Unpacked } from './unpack.js';

/** A code plus flags. */
export interface Res {
  code: number | bigint;
  flags: number;
}

/** The default NaN with invalid (an invalid operation). */
export function invalidResult(s: FloatSpec): Res {
  return { code: defaultNaNCode(s), flags: Flag.invalid };
}

/** True if the operand is a signalling NaN (only `ieee` formats have them). */
export function isSignaling(u: Unpacked): boolean {
  return u.k === K.NAN && !u.quiet;
}

/**
 * NaN `u` (of format `from`) as a NaN of format `to`: `ieee` → `ieee` keeps the sign and the top
 * fraction bits (zero-extended when widening) and sets the quiet bit; any other pair gives the target's
 * NaN with the source sign where the target's NaNs are signed.
 */
export function nanInto(from: FloatSpec, to: FloatSpec, u: Unpacked): number | bigint {
  if (from.specials === 'ieee' && to.specials === 'ieee') {
    const d = to.manBits - from.manBits;
    let f = d >= 0 ? u.frac << BigInt(d) : u.frac >> BigInt(-d);
    f |= 1n << BigInt(to.manBits - 1);
    if (to.wide) return (u.neg ? 1n << BigInt(to.width - 1) : 0n) | (BigInt(to.expFieldMax) << BigInt(to.manBits)) | f;
    return pack(to, u.neg, to.expFieldMax, Number(f));
  }
  return nanCode(to, u.neg);
}

/**
 * The result when at least one operand is a NaN: the first NaN in operand order, quieted; invalid if
 * any operand is a signalling NaN.
 */
export function propagateNaN(s: FloatSpec, ...ops: Unpacked[]): Res {
  let flags = 0;
  let first: Unpacked | undefined;
  for (const u of ops) {
    if (u.k !== K.NAN) continue;
    if (!u.quiet) flags = Flag.invalid;
    first ??= u;
  }
  return { code: nanInto(s, s, first!), flags };
}
