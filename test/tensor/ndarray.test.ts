/**
 * ndarray interop: toNdarray and fromNdarray share the codes array, strides and offset map
 * directly, and ndarray's own view methods (lo, hi, step, transpose, pick) agree with ours.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import ndarray from 'ndarray';
import { catalog } from '../../src/formats/catalog.js';
import { parseFixedFormat } from '../../src/formats/fixed.js';
import { fromNdarray, fromNumbers, slice, tensor, toNdarray, toNumbers, transpose, permute, type Tensor } from '../../src/tensor/index.js';

import { allIndices, prod } from '../support/indices.js';

describe('ndarray interop (seed 23)', function () {
  it('round-trips views through ndarray sharing memory, with ndarray’s views equal to slice/permute', function () {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(3), fc.nat(3), fc.integer({ min: 1, max: 2 }), fc.boolean()), { minLength: 4, maxLength: 4 }),
        (shape, cuts) => {
          const n = prod(shape);
          const t = tensor(catalog.e5m2, shape, Array.from({ length: n }, (_, i) => i % 256));
          const nd = toNdarray(t);
          expect(nd.data).to.equal(t.data);
          expect([nd.shape, nd.stride, nd.offset]).to.deep.equal([t.shape.slice(), t.strides.slice(), t.offset]);
          // ndarray's lo/hi/step against our slice: lo(a).hi(b).step(±s) on every axis
          let v = nd;
          const specs = shape.map((d, ax) => {
            const [lo0, len0, st, rev] = cuts[ax]!;
            const lo = Math.min(lo0, d - 1);
            const len = Math.max(1, Math.min(len0, d - lo));
            return { lo, len, step: rev ? -st : st };
          });
          v = v.lo(...specs.map((s) => s.lo)).hi(...specs.map((s) => s.len)).step(...specs.map((s) => s.step));
          const ours = slice(
            t,
            specs.map((s) =>
              s.step > 0 ? { start: s.lo, stop: s.lo + s.len, step: s.step } : { start: s.lo + s.len - 1, stop: s.lo === 0 ? undefined : s.lo - 1, step: s.step },
            ),
          );
          const back = fromNdarray(catalog.e5m2, v);
          expect(back.data).to.equal(t.data);
          expect([back.shape, back.strides, back.offset]).to.deep.equal([ours.shape, ours.strides, ours.offset]);
          for (const idx of allIndices(back.shape)) expect(back.get(idx)).to.equal(v.get(...idx));
          // transpose both ways
          const perm = shape.map((_, i) => shape.length - 1 - i);
          const tv = fromNdarray(catalog.e5m2, nd.transpose(...perm));
          const pt = permute(t, perm);
          expect([tv.shape, tv.strides, tv.offset]).to.deep.equal([pt.shape, pt.strides, pt.offset]);
          // writes through either side are seen by the other
          const i0 = allIndices(back.shape)[0]!;
          back.set(i0, 0x3c);
          expect(v.get(...i0)).to.equal(0x3c);
          v.set(...i0, 0x40);
          expect(back.get(i0)).to.equal(0x40);
        },
      ),
      { seed: 23, numRuns: 200 },
    );
  });

  it('maps pick (an integer index) and 0-d tensors', function () {
    const t = fromNumbers(catalog.fp16, [2, 3], [1, 2, 3, 4, 5, 6]).tensor;
    const col = fromNdarray(catalog.fp16, toNdarray(t).pick(null, 1));
    expect(toNumbers(col)).to.deep.equal(toNumbers(slice(t, [null, 1])));
    const s = slice(t, [1, 2]);
    const nd0 = toNdarray(s);
    expect([nd0.dimension, nd0.get()]).to.deep.equal([0, 0x4600]);
    const back = fromNdarray(catalog.fp16, nd0);
    expect([back.shape, back.offset, back.get([])]).to.deep.equal([[], 5, 0x4600]);
  });

  it('shares fixed-point storage (Int8Array, Float64Array) and reads negative strides', function () {
    const f = parseFixedFormat('s8.4');
    const nd = ndarray(Int8Array.of(16, -16, 32, 127), [2, 2]);
    const t = fromNdarray(f, nd.step(-1, 1));
    expect(t.data).to.equal(nd.data);
    expect(toNumbers(t)).to.deep.equal(Float64Array.of(2, 7.9375, 1, -1));
    const w = parseFixedFormat('s40.8');
    const big = ndarray(Float64Array.of(2 ** 38, -(2 ** 39)), [2]);
    expect(toNumbers(fromNdarray(w, big))).to.deep.equal(Float64Array.of(2 ** 30, -(2 ** 31)));
  });

  it('copies plain arrays (and other typed arrays) on request only, checking every code', function () {
    const nd = ndarray([0x3c00, 0x4000, 0x4200, 0x4400], [2, 2]).transpose(1, 0);
    expect(() => fromNdarray(catalog.fp16, nd)).to.throw(
      TypeError,
      'nd.data: fp16 codes live in a Uint16Array, the ndarray holds a plain Array; pass { copy: true } to copy its codes into a new tensor',
    );
    const c: Tensor = fromNdarray(catalog.fp16, nd, { copy: true });
    expect(Array.from(c.data)).to.deep.equal([0x3c00, 0x4200, 0x4000, 0x4400]);
    expect(c.strides).to.deep.equal([2, 1]);
    expect(() => fromNdarray(catalog.e4m3fn, ndarray(Float64Array.of(1, 2)))).to.throw(TypeError, /e4m3fn codes live in a Uint8Array, the ndarray holds a Float64Array/);
    expect(() => fromNdarray(catalog.e4m3fn, ndarray([1, 256]), { copy: true })).to.throw(
      RangeError,
      'nd: element 1 (data position 1) must be an 8-bit code of e4m3fn, an integer in 0..255, got 256',
    );
    expect(() => fromNdarray(catalog.e2m1fn, ndarray(Uint8Array.of(1, 2, 3, 99, 5), [2], [2], 1))).to.throw(
      RangeError,
      'nd.data: position 3 must be a 4-bit code of e2m1fn, an integer in 0..15, got 99',
    );
    // positions outside the view are not checked
    expect(toNumbers(fromNdarray(catalog.e2m1fn, ndarray(Uint8Array.of(99, 2, 99, 4), [2], [2], 1)))).to.deep.equal(Float64Array.of(1, 2));
  });

  it('rejects an ndarray whose view reaches outside its data', function () {
    expect(() => fromNdarray(catalog.fp16, ndarray(new Uint16Array(4), [3], [2], 0))).to.throw(
      RangeError,
      'strides: shape [3], strides [2] and offset 0 reach positions 0..4, outside the data array (length 4, positions 0..3)',
    );
    expect(() => fromNdarray(catalog.fp16, { shape: [2] } as never)).to.throw(TypeError, /nd: must be an ndarray/);
    expect(transpose(fromNdarray(catalog.fp16, ndarray(new Uint16Array(6), [2, 3]))).shape).to.deep.equal([3, 2]);
  });
});
