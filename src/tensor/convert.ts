import { convert as convertScalar } from '../ops/float/convert.js';
import { decode } from '../ops/float/decode.js';
import { encode } from '../ops/float/encode.js';
import { fromExact } from '../ops/float/from-exact.js';
import { fixedConvert } from '../ops/fixed/fixedConvert.js';
import { fixedFromNumber } from '../ops/fixed/fixedFromNumber.js';
import { fixedToExact } from '../ops/fixed/fixedToExact.js';
import { fixedToNumber } from '../ops/fixed/fixedToNumber.js';
import { DEFAULT_CONTEXT, type Context } from '../round/modes.js';
import type { TensorResult } from './from-numbers.js';
import type { Tensor } from './tensor.js';
import { storageName, type TensorSpec } from './storage.js';
import { checkTensor } from './_internal/formats.js';
import { unaryLoop } from './_internal/elementwise.js';

/**
 * Converts every element to another format, float or fixed, rounding its exact value once: float →
 * float by `convert`, float → fixed by `fixedFromNumber` of the (exact) decoded value, fixed → float
 * by `fromExact` of the exact raw value (through `encode` when binary64 holds it exactly), fixed →
 * fixed by `fixedConvert`. Float targets round in the context's mode; fixed targets use their own
 * quantisation and overflow modes, the context giving only the stochastic-rounding seed, stream and
 * bits. The stochastic index of an element is its flat row-major index in the result, so the result
 * does not depend on the input's strides. Returns a new contiguous tensor and the OR of the flags.
 *
 * @example
 * ```ts
 * const t = fromNumbers(catalog.fp16, [3], [0.1, 300, -65504]).tensor;
 * const { tensor: q, flags } = convert(t, catalog.e4m3fn);
 * toNumbers(q); // => Float64Array [0.1015625, 288, NaN]
 * flags; // => 5 (overflow | inexact)
 * toNumbers(convert(t, parseFixedFormat('s8.4:RND_CONV:SAT')).tensor); // => Float64Array [0.125, 7.9375, -8]
 * ```
 */
export function convert<S extends TensorSpec>(t: Tensor, format: S, ctx: Context = DEFAULT_CONTEXT): TensorResult<S> {
  checkTensor('convert', t, 't');
  storageName(format, 'format');
  const from = t.spec;
  const to: TensorSpec = format;
  if (from.kind === 'float') {
    if (to.kind === 'float') {
      return unaryLoop(t, format, (c, k, fl) => {
        const r = convertScalar(from, to, c, ctx, k);
        fl.flags |= r.flags;
        return r.code as number;
      });
    }
    // decode is exact for every float format, and fixedFromNumber rounds that exact value once.
    return unaryLoop(t, format, (c, k, fl) => {
      const r = fixedFromNumber(to, decode(from, c), ctx, k);
      fl.flags |= r.flags;
      return r.raw as number;
    });
  }
  if (to.kind === 'float') {
    // raw · 2^-frac is exact in binary64 when 2^-frac is normal and the product finite (|raw| ≥ 1, < 2^52).
    const exactNum = from.unscale !== 0;
    return unaryLoop(t, format, (c, k, fl) => {
      const x = fixedToNumber(from, c);
      const r = exactNum && Number.isFinite(x) ? encode(to, x, ctx, k) : fromExact(to, fixedToExact(from, c), ctx, k);
      fl.flags |= r.flags;
      return r.code as number;
    });
  }
  return unaryLoop(t, format, (c, k, fl) => {
    const r = fixedConvert(from, c, to, ctx, k);
    fl.flags |= r.flags;
    return r.raw as number;
  });
}
