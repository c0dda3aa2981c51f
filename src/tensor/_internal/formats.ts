/**
 * Format checks shared by the tensor operations: structural equality of specs, and the result
 * format of a binary operation.
 * @internal
 */
import type { TensorSpec } from '../storage.js';
import { storageName } from '../storage.js';
import { Tensor } from '../tensor.js';
import { describe } from './shape.js';

/** True if two specs describe the same number system (names aside). */
export function sameFormat(x: TensorSpec, y: TensorSpec): boolean {
  if (x === y) return true;
  if (x.kind === 'float' && y.kind === 'float') {
    return (
      x.expBits === y.expBits &&
      x.manBits === y.manBits &&
      x.bias === y.bias &&
      x.subnormals === y.subnormals &&
      x.specials === y.specials &&
      x.overflow === y.overflow &&
      x.signed === y.signed
    );
  }
  if (x.kind === 'fixed' && y.kind === 'fixed') {
    return x.width === y.width && x.frac === y.frac && x.signed === y.signed && x.quant === y.quant && x.overflow === y.overflow && x.satBits === y.satBits;
  }
  return false;
}

/** Throws a `TypeError` unless `t` is a {@link Tensor}. */
export function checkTensor(op: string, t: unknown, what: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describe(t)}`);
  return t;
}

/**
 * The format of `a op b`: float operands must share one format, which is the result's (`format`, if
 * given, must be that format too); fixed operands may differ, and the result is `format`, or their
 * common format when they share one.
 */
export function binaryFormat(op: string, a: TensorSpec, b: TensorSpec, format: TensorSpec | undefined): TensorSpec {
  if (format !== undefined) {
    storageName(format, 'format');
  }
  if (a.kind === 'float' && b.kind === 'float') {
    if (!sameFormat(a, b)) {
      throw new TypeError(`${op}: a is ${a.name} and b is ${b.name}; float operands must share one format (convert one of them first)`);
    }
    if (format !== undefined && !sameFormat(format, a)) {
      throw new TypeError(`${op}: format ${format.name} differs from the operands' ${a.name}; a float ${op} rounds into its operands' format (convert the result)`);
    }
    return a;
  }
  if (a.kind === 'fixed' && b.kind === 'fixed') {
    if (format !== undefined) {
      if (format.kind !== 'fixed') throw new TypeError(`${op}: format ${format.name} is a float format; fixed-point operands need a fixed result format`);
      return format;
    }
    if (!sameFormat(a, b)) {
      throw new TypeError(`${op}: a is ${a.name} and b is ${b.name}; fixed operands of different formats need a result format: ${op}(a, b, { format })`);
    }
    return a;
  }
  throw new TypeError(`${op}: a is ${a.name} (${a.kind}) and b is ${b.name} (${b.kind}); operands must both be float or both fixed (convert one of them first)`);
}
