/**
 * The examples of docs/tensors.md, run, with the outputs the page shows. If one of these changes,
 * change the page too.
 */
import { expect } from 'chai';
import ndarray from 'ndarray';
import { catalog } from '../../src/formats/catalog.js';
import { parseFixedFormat } from '../../src/formats/fixed.js';
import { formatFlags } from '../../src/flags.js';
import { context } from '../../src/round/modes.js';
import {
  accumulator,
  add,
  broadcastShapes,
  broadcastTo,
  contiguous,
  convert,
  copy,
  fromNdarray,
  fromNumbers,
  max,
  maximum,
  mul,
  relu,
  reshape,
  slice,
  sum,
  toNdarray,
  toNumbers,
  transpose,
} from '../../src/tensor/index.js';

const arr = (a: ArrayLike<number>): number[] => Array.from(a);

describe('docs/tensors.md examples', function () {
  it('§1 the model and constructors', function () {
    const { tensor: x, flags } = fromNumbers(catalog.e4m3fn, [2, 3], [1, 2.5, -0.1, 448, 500, 1e-4]);
    expect(arr(x.data)).to.deep.equal([0x38, 0x42, 0x9d, 0x7e, 0x7f, 0x0]);
    expect([flags, formatFlags(flags)]).to.deep.equal([7, 'overflow|underflow|inexact']);
    expect([x.shape, x.strides]).to.deep.equal([[2, 3], [3, 1]]);
    expect(arr(toNumbers(x))).to.deep.equal([1, 2.5, -0.1015625, 448, NaN, 0]);
    const q = fromNumbers(parseFixedFormat('s8.4:RND_CONV:SAT'), [3], [0.3, -1.03125, 9]);
    expect(q.tensor.data).to.deep.equal(Int8Array.of(5, -16, 127));
    expect(formatFlags(q.flags)).to.equal('overflow|inexact');
    expect(arr(toNumbers(q.tensor))).to.deep.equal([0.3125, -1, 7.9375]);
  });

  it('§3 views', function () {
    const t = fromNumbers(catalog.fp16, [3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).tensor;
    const v = slice(t, [{ start: 1 }, { step: -2 }]);
    expect([v.shape, v.strides, v.offset]).to.deep.equal([[2, 2], [4, -2], 7]);
    expect(arr(toNumbers(v))).to.deep.equal([7, 5, 11, 9]);
    expect(v.data).to.equal(t.data);
    const col = slice(t, [null, 2]);
    expect([col.shape, col.strides, col.offset, arr(toNumbers(col))]).to.deep.equal([[3], [4], 2, [2, 6, 10]]);
    const tt = transpose(t);
    expect(() => reshape(tt, [12])).to.throw(
      RangeError,
      'reshape: the tensor (shape [4,3], strides [1,4]) is not contiguous, so it has no view of shape [12]; reshape(contiguous(t), shape) copies it first',
    );
    const r = reshape(contiguous(tt), [2, -1]);
    expect([r.shape, arr(toNumbers(r))]).to.deep.equal([[2, 6], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]]);
    const b = broadcastTo(fromNumbers(catalog.fp16, [4], [1, 2, 3, 4]).tensor, [2, 4]);
    expect([b.strides, arr(toNumbers(b))]).to.deep.equal([[0, 1], [1, 2, 3, 4, 1, 2, 3, 4]]);
    v.set([0, 0], 0x3c00);
    expect(arr(toNumbers(t))).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 1, 8, 9, 10, 11]);
  });

  it('§4 elementwise operations', function () {
    expect(broadcastShapes([[8, 1, 6, 1], [7, 1, 5]])).to.deep.equal([8, 7, 6, 5]);
    const a = fromNumbers(catalog.e4m3fn, [2, 3], [1, 2, 3, 4, 448, -6]).tensor;
    expect(() => add(a, fromNumbers(catalog.e4m3fn, [2], [1, 2]).tensor)).to.throw(
      RangeError,
      'add: shapes [2,3] (a) and [2] (b) do not broadcast: at axis 1 of the result, a has size 3 (its axis 1) and b has size 2 (its axis 0); sizes must be equal, or 1',
    );
    const bias = fromNumbers(catalog.e4m3fn, [3], [0.0625, 0.5, 64]).tensor;
    const s1 = add(a, bias);
    expect(arr(toNumbers(s1.tensor))).to.deep.equal([1, 2.5, 64, 4, 448, 56]);
    expect(formatFlags(s1.flags)).to.equal('inexact');
    const sr = context({ rounding: 'sr', srBits: 8, seed: 1 });
    expect(arr(toNumbers(add(a, bias, { ctx: sr }).tensor))).to.deep.equal([1, 2.5, 64, 4, 448, 60]);
    expect(arr(toNumbers(add(transpose(copy(transpose(a))), bias, { ctx: sr }).tensor))).to.deep.equal([1, 2.5, 64, 4, 448, 60]);
    const pa = fromNumbers(parseFixedFormat('ap_fixed<8,4>'), [2], [1.5, -7.25]).tensor;
    const pb = fromNumbers(parseFixedFormat('ap_fixed<6,2>'), [2, 1], [0.75, -2]).tensor;
    const pm = mul(pa, pb, { format: parseFixedFormat('ap_fixed<12,6,AP_RND_CONV,AP_SAT>') });
    expect([pm.tensor.shape, arr(toNumbers(pm.tensor))]).to.deep.equal([[2, 2], [1.125, -5.4375, -3, 14.5]]);
    const h = (xs: number[]) => fromNumbers(catalog.fp16, [xs.length], xs).tensor;
    expect(arr(maximum(h([1, -0, NaN, -3]), h([2, 0, 5, -4])).tensor.data)).to.deep.equal([0x4000, 0x0, 0x7e00, 0xc200]);
    expect(arr(relu(fromNumbers(catalog.bf16, [4], [-2, -0, 0.5, NaN]).tensor).tensor.data)).to.deep.equal([0x0, 0x0, 0x3f00, 0x7fc0]);
    const c16 = fromNumbers(catalog.fp16, [4], [0.1, 300, -65504, 1e-7]).tensor;
    const c1 = convert(c16, catalog.e4m3fn);
    expect([arr(toNumbers(c1.tensor)), formatFlags(c1.flags)]).to.deep.equal([[0.1015625, 288, NaN, 0], 'overflow|underflow|inexact']);
    const c2 = convert(c16, parseFixedFormat('s8.4:RND_CONV:SAT'));
    expect([arr(toNumbers(c2.tensor)), formatFlags(c2.flags)]).to.deep.equal([[0.125, 7.9375, -8, 0], 'overflow|inexact']);
    const c3 = convert(c2.tensor, catalog.e2m1fn);
    expect([arr(toNumbers(c3.tensor)), formatFlags(c3.flags)]).to.deep.equal([[0, 6, -6, 0], 'overflow|underflow|inexact']);
  });

  it('§5 reductions', function () {
    const w = fromNumbers(catalog.e4m3fn, [2, 4], [1, 2, 3, 4, 448, 448, 0.125, 0.125]).tensor;
    expect(arr(toNumbers(sum(w, 1, { format: catalog.fp32 }).tensor))).to.deep.equal([10, 896.25]);
    const se = sum(w, 1, { format: catalog.e4m3fn });
    expect([arr(toNumbers(se.tensor)), formatFlags(se.flags)]).to.deep.equal([[10, NaN], 'overflow|inexact']);
    expect(arr(toNumbers(sum(w, 0, { format: catalog.bf16 }).tensor))).to.deep.equal([448, 450, 3.125, 4.125]);
    expect(arr(toNumbers(sum(w, null, { format: catalog.fp32 }).tensor))).to.deep.equal([906.25]);
    expect(arr(toNumbers(sum(w, 1, { format: parseFixedFormat('s16.4:RND_CONV:SAT') }).tensor))).to.deep.equal([10, 896.25]);
    const ones = fromNumbers(catalog.fp16, [4096], new Array<number>(4096).fill(1)).tensor;
    expect(arr(toNumbers(sum(ones, 0, { format: catalog.bf16 }).tensor))).to.deep.equal([256]);
    const srSums = [1, 2, 3, 4].map((seed) => toNumbers(sum(ones, 0, { format: catalog.bf16, ctx: context({ rounding: 'sr', srBits: 16, seed }) }).tensor)[0]);
    expect(srSums).to.deep.equal([4544, 3952, 3952, 3888]);
    const inner = accumulator({ format: catalog.fp32 });
    const seen: number[] = [];
    sum(w, 0, { format: catalog.fp32, init: inner.init, add: (acc, spec, code, index) => (seen.push(index), inner.add(acc, spec, code, index)) });
    expect(seen).to.deep.equal([0, 4, 1, 5, 2, 6, 3, 7]);
    const mx = max(fromNumbers(catalog.fp16, [2, 3], [1, 5, -2, -0, NaN, 7]).tensor, 1);
    expect([arr(toNumbers(mx.tensor)), arr(mx.tensor.data)]).to.deep.equal([[5, NaN], [0x4500, 0x7e00]]);
  });

  it('§6 ndarray interop', function () {
    const t = fromNumbers(catalog.fp16, [3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]).tensor;
    const nd = toNdarray(slice(t, [{ step: 2 }, { start: 1, stop: 3 }]));
    expect([nd.shape, nd.stride, nd.offset, nd.data === t.data, nd.get(1, 0).toString(16)]).to.deep.equal([[2, 2], [8, 1], 1, true, '4880']);
    const back = fromNdarray(catalog.fp16, nd.transpose(1, 0));
    expect([back.shape, back.strides, back.offset, arr(toNumbers(back)), back.data === t.data]).to.deep.equal([[2, 2], [1, 8], 1, [1, 9, 2, 10], true]);
    expect(() => fromNdarray(catalog.fp16, ndarray([0x3c00, 0x4000]))).to.throw(
      TypeError,
      'nd.data: fp16 codes live in a Uint16Array, the ndarray holds a plain Array; pass { copy: true } to copy its codes into a new tensor',
    );
    expect(arr(fromNdarray(catalog.fp16, ndarray([0x3c00, 0x4000]), { copy: true }).data)).to.deep.equal([0x3c00, 0x4000]);
  });
});
