/**
 * The binary maximum of two codes of one format (IEEE 754-2019 `maximum`): NaN-propagating, -0 < +0.
 * @internal
 */
import type { FloatSpec } from '../../formats/float.js';
import { add } from '../../ops/float/add.js';
import { decode } from '../../ops/float/decode.js';
import type { FlagsBox } from './elementwise.js';

/**
 * max(a, b) of two float codes. A NaN operand gives the first NaN in the order a, b, quieted, with
 * invalid if either is signalling: exactly the NaN rule of every float operation, so it is taken
 * from `add` (whose NaN result does not depend on the rounding mode). Otherwise the larger value,
 * +0 over -0, and `a` when the two are equal.
 */
export function maxFloat(s: FloatSpec, a: number, b: number, fl: FlagsBox): number {
  const va = decode(s, a);
  const vb = decode(s, b);
  if (va !== va || vb !== vb) {
    const r = add(s, a, b);
    fl.flags |= r.flags;
    return r.code as number;
  }
  if (vb > va) return b;
  if (va === 0 && vb === 0 && Object.is(va, -0)) return b;
  return a;
}
