/**
 * The common body of add, sub and mul: resolve the result format, then run the float or the
 * fixed-point scalar operation on every broadcast element.
 * @internal
 */
import type { FloatSpec } from '../../formats/float.js';
import type { FixedRaw, FixedResult, FixedSpec } from '../../formats/fixed.js';
import type { FloatResult } from '../../ops/float/_internal/args.js';
import { DEFAULT_CONTEXT, type Context } from '../../round/modes.js';
import type { TensorResult } from '../from-numbers.js';
import type { ElementwiseOptions } from '../elementwise-options.js';
import type { Tensor } from '../tensor.js';
import { binaryFormat, checkTensor } from './formats.js';
import { binaryLoop } from './elementwise.js';

export type FloatOp = (s: FloatSpec, a: number, b: number, ctx: Context, index: number) => FloatResult;
export type FixedOp = (as: FixedSpec, a: FixedRaw, bs: FixedSpec, b: FixedRaw, target: FixedSpec, ctx: Context, index: number) => FixedResult;

export function arith(op: string, floatOp: FloatOp, fixedOp: FixedOp, a: Tensor, b: Tensor, opts: ElementwiseOptions): TensorResult {
  checkTensor(op, a, 'a');
  checkTensor(op, b, 'b');
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${op}: opts must be an object { ctx?, format? }`);
  const ctx = opts.ctx ?? DEFAULT_CONTEXT;
  const out = binaryFormat(op, a.spec, b.spec, opts.format);
  const as = a.spec;
  const bs = b.spec;
  if (out.kind === 'float') {
    return binaryLoop(op, a, b, out, (x, y, k, fl) => {
      const r = floatOp(out, x, y, ctx, k);
      fl.flags |= r.flags;
      return r.code as number;
    });
  }
  const fa = as as FixedSpec;
  const fb = bs as FixedSpec;
  return binaryLoop(op, a, b, out, (x, y, k, fl) => {
    const r = fixedOp(fa, x, fb, y, out, ctx, k);
    fl.flags |= r.flags;
    return r.raw as number;
  });
}
