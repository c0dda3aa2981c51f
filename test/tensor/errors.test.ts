/**
 * Every error of the tensor engine, with its exact message: each names the argument, the allowed
 * range and, where there is one, the fix.
 */
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { parseFixedFormat } from '../../src/formats/fixed.js';
import { intFormat } from '../../src/accum/types.js';
import {
  Tensor,
  accumulator,
  add,
  broadcastShapes,
  broadcastTo,
  convert,
  fromNumbers,
  max,
  maximum,
  mul,
  permute,
  relu,
  reshape,
  slice,
  sub,
  sum,
  tensor,
  toNdarray,
  transpose,
  zeros,
} from '../../src/tensor/index.js';

const e4 = catalog.e4m3fn;
const h = catalog.fp16;
const t23 = tensor(h, [2, 3]);
const fx = parseFixedFormat('s8.4');
const fx2 = parseFixedFormat('s8.2');

const CASES: [string, () => unknown, typeof TypeError | typeof RangeError, string][] = [
    ["specInt", () => tensor(intFormat(8, true) as never, [2]), TypeError, "spec: integer formats (i8) are not tensor formats; use the fixed format fixedFormat({ width: 8, frac: 0, signed: true })"],
    ["specJunk", () => tensor({ kind: 'x' } as never, [2]), TypeError, "spec: expected a float or fixed format spec (floatFormat, fixedFormat or catalog), got the object {\"kind\":\"x\"}"],
    ["fp64", () => zeros(catalog.fp64, [2]), RangeError, "spec: fp64 is 64 bits wide; float tensors hold formats up to 32 bits (codes wider than 32 bits are BigInts), convert to fp32 or narrower first"],
    ["fixedWide", () => zeros(parseFixedFormat('s60.4'), [2]), RangeError, "spec: s60.4 is 60 bits wide; fixed-point tensors hold formats up to 52 bits (wider raw values are BigInts), use a narrower format"],
    ["ctorData", () => new Tensor(e4, new Uint16Array(4), [4]), TypeError, "data: e4m3fn codes live in a Uint8Array, got Uint16Array"],
    ["shapeNotArray", () => tensor(e4, 3 as never), TypeError, "shape: must be an array of non-negative integers, got 3"],
    ["shapeFrac", () => tensor(e4, [2, 2.5]), RangeError, "shape: axis 1 must be a non-negative integer, got 2.5 in [2,2.5]"],
    ["shapeNeg", () => zeros(e4, [-1]), RangeError, "shape: axis 0 must be a non-negative integer, got -1 in [-1]"],
    ["shapeHuge", () => zeros(e4, [65536, 65537]), RangeError, "shape: [65536,65537] has 4295032832 elements; a tensor holds at most 2^32"],
    ["stridesLen", () => new Tensor(e4, new Uint8Array(4), [2, 2], [1]), RangeError, "strides: must be an array of 2 integers (one per axis of shape [2,2]), got [1]"],
    ["stridesFrac", () => new Tensor(e4, new Uint8Array(4), [2, 2], [2, 0.5]), RangeError, "strides: axis 1 must be an integer, got 0.5 in [2,0.5]"],
    ["offsetFrac", () => new Tensor(e4, new Uint8Array(4), [4], [1], 0.5), RangeError, "offset: must be an integer, got 0.5"],
    ["bounds", () => new Tensor(e4, new Uint8Array(4), [2, 2], [-2, 1], 1), RangeError, "strides: shape [2,2], strides [-2,1] and offset 1 reach positions -1..2, outside the data array (length 4, positions 0..3)"],
    ["indexLen", () => t23.get([1]), RangeError, "index: must be an array of 2 integers for shape [2,3], got [1]"],
    ["indexRange", () => t23.get([1, 3]), RangeError, "index: axis 1 must be an integer in -3..2 (shape [2,3]), got 3"],
    ["indexEmpty", () => tensor(e4, [2, 0]).get([0, 0]), RangeError, "index: axis 1 is empty (shape [2,0]); no element can be indexed, got 0"],
    ["setCode", () => tensor(catalog.e2m1fn, [2]).set([0], 16), RangeError, "code: must be a 4-bit code of e2m1fn, an integer in 0..15, got 16"],
    ["setFixed", () => tensor(fx, [2]).set([0], 200), RangeError, "code: must be a raw value of s8.4, an integer in -128..127, got 200"],
    ["dataWrongType", () => tensor(e4, [2], new Float64Array(2)), TypeError, "data: e4m3fn codes live in a Uint8Array (or a plain array of codes), got Float64Array; to encode values use fromNumbers"],
    ["dataPlainBad", () => tensor(e4, [2], [1, 1.5]), RangeError, "data: element 1 must be an 8-bit code of e4m3fn, an integer in 0..255, got 1.5"],
    ["dataLen", () => tensor(e4, [2, 2], new Uint8Array(3)), RangeError, "data: shape [2,2] has 4 elements, the data array has 3"],
    ["dataTypedBad", () => tensor(catalog.e2m1fn, [2], Uint8Array.of(1, 200)), RangeError, "data: element 1 must be a 4-bit code of e2m1fn, an integer in 0..15, got 200"],
    ["dataF64Frac", () => tensor(parseFixedFormat('s40.4'), [2], Float64Array.of(1, 0.5)), RangeError, "data: element 1 must be a raw value of s40.4, an integer in -549755813888..549755813887, got 0.5"],
    ["sliceNotArray", () => slice(t23, 1 as never), TypeError, "slice: specs must be an array (one entry per axis), got 1"],
    ["sliceTooMany", () => slice(t23, [null, null, null]), RangeError, "slice: 3 specs for a 2-d tensor of shape [2,3]; give at most one per axis"],
    ["sliceIndex", () => slice(t23, [2]), RangeError, "slice: axis 0 index must be an integer in -2..1 (axis size 2), got 2"],
    ["sliceIndexEmpty", () => slice(tensor(e4, [0]), [0]), RangeError, "slice: axis 0 is empty (size 0); no index can be picked, got 0"],
    ["sliceType", () => slice(t23, ['1:2' as never]), TypeError, "slice: axis 0 spec must be an integer, a { start, stop, step } range or null, got \"1:2\""],
    ["sliceStep", () => slice(t23, [{ step: 0 }]), RangeError, "slice: axis 0 step must be a non-zero integer, got 0"],
    ["sliceStart", () => slice(t23, [null, { start: 4 }]), RangeError, "slice: axis 1 start must be an integer in -3..3 (axis size 3), got 4"],
    ["sliceStop", () => slice(t23, [null, { stop: -4 }]), RangeError, "slice: axis 1 stop must be an integer in -3..3 (axis size 3), got -4"],
    ["sliceNegStart", () => slice(t23, [null, { start: 3, step: -1 }]), RangeError, "slice: axis 1 start must be an integer in -3..2 (axis size 3), got 3"],
    ["sliceNegStop", () => slice(t23, [null, { stop: 3, step: -1 }]), RangeError, "slice: axis 1 stop must be an integer in -3..2 (axis size 3), got 3"],
    ["sliceNegEmpty", () => slice(tensor(e4, [0]), [{ start: 0, step: -1 }]), RangeError, "slice: axis 0 is empty (size 0); a range with step < 0 can only use the default start and stop"],
    ["permLen", () => permute(t23, [0]), RangeError, "permute: axes must be a permutation of 0..1 (2 axes for shape [2,3]), got [0]"],
    ["permDup", () => permute(t23, [1, 1]), RangeError, "permute: axes must be a permutation of 0..1 (each axis once), got [1,1]"],
    ["reshapeNotArray", () => reshape(t23, 6 as never), TypeError, "reshape: shape must be an array of integers, got 6"],
    ["reshapeBadAxis", () => reshape(t23, [2, -2]), RangeError, "reshape: shape axis 1 must be a non-negative integer (or -1 once, inferred), got -2 in [2,-2]"],
    ["reshapeInfer", () => reshape(t23, [4, -1]), RangeError, "reshape: cannot infer axis 1 of [4,-1] for 6 elements (shape [2,3])"],
    ["reshapeTwoInfer", () => reshape(t23, [-1, -1]), RangeError, "reshape: shape axis 1 must be a non-negative integer (or -1 once, inferred), got -1 in [-1,-1]"],
    ["reshapeSize", () => reshape(t23, [4, 2]), RangeError, "reshape: shape [2,3] has 6 elements, [4,2] has 8; the sizes must be equal"],
    ["reshapeNonContig", () => reshape(transpose(t23), [6]), RangeError, "reshape: the tensor (shape [3,2], strides [1,3]) is not contiguous, so it has no view of shape [6]; reshape(contiguous(t), shape) copies it first"],
    ["bsNotArray", () => broadcastShapes(3 as never), TypeError, "broadcastShapes: shapes must be an array of shapes"],
    ["bsBad", () => broadcastShapes([[2, 3], [3, 1, 4]]), RangeError, "broadcastShapes: shapes [2,3] (shape 0) and [3,1,4] (shape 1) do not broadcast: at axis 2 of the result, shape 0 has size 3 (its axis 1) and shape 1 has size 4 (its axis 2); sizes must be equal, or 1"],
    ["bsShape", () => broadcastShapes([[2, -3]]), RangeError, "shapes[0]: axis 1 must be a non-negative integer, got -3 in [2,-3]"],
    ["btoNd", () => broadcastTo(t23, [3]), RangeError, "broadcastTo: a 2-d tensor (shape [2,3]) cannot be broadcast to the 1-d shape [3]"],
    ["btoAxis", () => broadcastTo(t23, [4, 3, 2]), RangeError, "broadcastTo: shape [2,3] cannot be broadcast to [4,3,2]: its axis 0 has size 2, axis 1 of the target 3; a size must equal the target or be 1"],
    ["fnValues", () => fromNumbers(e4, [2], 5 as never), TypeError, "values: must be an array of numbers (row-major, 2 for shape [2]), got 5"],
    ["fnLen", () => fromNumbers(e4, [2, 2], [1, 2, 3]), RangeError, "values: shape [2,2] has 4 elements, values has 3"],
    ["fnElem", () => fromNumbers(e4, [2], [1, '2'] as never), TypeError, "values: element 1 must be a number, got \"2\""],
    ["zerosE8", () => zeros(catalog.e8m0fnu, [1]), RangeError, "spec: e8m0fnu has no zero; tensor(spec, shape) fills with code 0 (2^-127), fromNumbers encodes values"],
    ["addNotTensor", () => add(t23, [1, 2] as never), TypeError, "add: b must be a Tensor, got [1,2]"],
    ["addOpts", () => add(t23, t23, null as never), TypeError, "add: opts must be an object { ctx?, format? }"],
    ["addFloatFormats", () => add(t23, tensor(e4, [2, 3])), TypeError, "add: a is fp16 and b is e4m3fn; float operands must share one format (convert one of them first)"],
    ["addFloatFormatOpt", () => mul(t23, t23, { format: catalog.bf16 }), TypeError, "mul: format bf16 differs from the operands' fp16; a float mul rounds into its operands' format (convert the result)"],
    ["addFixedFloatOpt", () => add(tensor(fx, [1]), tensor(fx, [1]), { format: h }), TypeError, "add: format fp16 is a float format; fixed-point operands need a fixed result format"],
    ["addFixedDiffer", () => sub(tensor(fx, [1]), tensor(fx2, [1])), TypeError, "sub: a is s8.4 and b is s8.2; fixed operands of different formats need a result format: sub(a, b, { format })"],
    ["addMixed", () => add(t23, tensor(fx, [3])), TypeError, "add: a is fp16 (float) and b is s8.4 (fixed); operands must both be float or both fixed (convert one of them first)"],
    ["addShapes", () => add(t23, tensor(h, [4, 3])), RangeError, "add: shapes [2,3] (a) and [4,3] (b) do not broadcast: at axis 0 of the result, a has size 2 (its axis 0) and b has size 4 (its axis 0); sizes must be equal, or 1"],
    ["addShapes2", () => add(tensor(h, [5, 2, 3]), tensor(h, [4, 1])), RangeError, "add: shapes [5,2,3] (a) and [4,1] (b) do not broadcast: at axis 1 of the result, a has size 2 (its axis 1) and b has size 4 (its axis 0); sizes must be equal, or 1"],
    ["addFormatWide", () => add(tensor(fx, [1]), tensor(fx, [1]), { format: parseFixedFormat('s64.0') }), RangeError, "format: s64.0 is 64 bits wide; fixed-point tensors hold formats up to 52 bits (wider raw values are BigInts), use a narrower format"],
    ["maxFormats", () => maximum(t23, tensor(catalog.bf16, [2, 3])), TypeError, "maximum: a is fp16 and b is bf16; the operands must share one format (convert one of them first)"],
    ["maxShapes", () => maximum(t23, tensor(h, [2])), RangeError, "maximum: shapes [2,3] (a) and [2] (b) do not broadcast: at axis 1 of the result, a has size 3 (its axis 1) and b has size 2 (its axis 0); sizes must be equal, or 1"],
    ["reluNot", () => relu(3 as never), TypeError, "relu: t must be a Tensor, got 3"],
    ["convertNot", () => convert(null as never, h), TypeError, "convert: t must be a Tensor, got null"],
    ["convertFormat", () => convert(t23, 'fp16' as never), TypeError, "format: expected a float or fixed format spec (floatFormat, fixedFormat or catalog), got \"fp16\""],
    ["convertWide", () => convert(t23, catalog.fp64), RangeError, "format: fp64 is 64 bits wide; float tensors hold formats up to 32 bits (codes wider than 32 bits are BigInts), convert to fp32 or narrower first"],
    ["accNot", () => accumulator(null as never), TypeError, "acc: must be { format, ctx? } or an Accumulator, got null"],
    ["accNoZero", () => accumulator({ format: catalog.e8m0fnu }), RangeError, "acc.format: e8m0fnu has no zero, so a sum cannot start from +0; accumulate in a format with a zero"],
    ["accWide", () => sum(t23, 0, { format: catalog.fp64 }), RangeError, "acc.format: fp64 is 64 bits wide; float tensors hold formats up to 32 bits (codes wider than 32 bits are BigInts), convert to fp32 or narrower first"],
    ["accInt", () => sum(t23, 0, { format: intFormat(32, true) as never }), TypeError, "acc.format: integer formats (i32) are not tensor formats; use the fixed format fixedFormat({ width: 32, frac: 0, signed: true })"],
    ["sumAcc", () => sum(t23, 0, 5 as never), TypeError, "sum: acc must be { format, ctx? } or an Accumulator, got 5"],
    ["sumAxis", () => sum(t23, 2, { format: h }), RangeError, "sum: axis must be an integer in -2..1 for a 2-d tensor, got 2"],
    ["sumAxisFrac", () => sum(t23, 0.5, { format: h }), RangeError, "sum: axis must be an integer in -2..1 for a 2-d tensor, got 0.5"],
    ["sum0d", () => sum(tensor(h, []), 0, { format: h }), RangeError, "sum: a 0-d tensor has no axis to reduce (use axis null), got 0"],
    ["maxEmptyAxis", () => max(tensor(h, [2, 0]), 1), RangeError, "max: axis 1 of shape [2,0] is empty; a max of no elements is undefined"],
    ["maxEmpty", () => max(tensor(h, [0]), null), RangeError, "max: the tensor is empty (shape [0]); a max of no elements is undefined"],
    ["maxAxis", () => max(t23, -3), RangeError, "max: axis must be an integer in -2..1 for a 2-d tensor, got -3"],
    ["toNd", () => toNdarray({} as never), TypeError, "toNdarray: t must be a Tensor, got the object {}"],
];

describe('tensor errors', function () {
  for (const [name, thunk, cls, message] of CASES) {
    it(`${name}: throws a ${cls.name} naming the argument`, function () {
      let caught: unknown;
      try {
        thunk();
      } catch (e) {
        caught = e;
      }
      expect(caught, 'no error thrown').to.be.instanceOf(cls);
      expect((caught as Error).message).to.equal(message);
    });
  }
});
