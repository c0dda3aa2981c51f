/**
 * Constructors and storage: one typed array per format width, codes shared or copied as documented,
 * fromNumbers bit-identical to the scalar encoders (stochastic index = flat index), toNumbers exact.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { floatFormat } from '../../src/formats/float.js';
import { fixedFormat, parseFixedFormat } from '../../src/formats/fixed.js';
import { Flag } from '../../src/flags.js';
import { encode, decode } from '../../src/ops/float/index.js';
import { fixedFromNumber, fixedToNumber } from '../../src/ops/fixed/index.js';
import { context, ROUNDING_MODES } from '../../src/round/modes.js';
import { codeArray, fromNumbers, storageOf, tensor, toNumbers, transpose, zeros, Tensor, type TensorSpec } from '../../src/tensor/index.js';

describe('tensor storage and constructors (seed 29)', function () {
  it('stores each format in the typed array of its width', function () {
    const rows: [TensorSpec, string][] = [
      [catalog.e2m1fn, 'Uint8Array'],
      [catalog.e4m3fn, 'Uint8Array'],
      [catalog.e8m0fnu, 'Uint8Array'],
      [floatFormat({ expBits: 5, manBits: 3 }), 'Uint16Array'],
      [catalog.fp16, 'Uint16Array'],
      [catalog.bf16, 'Uint16Array'],
      [catalog.tf32, 'Uint32Array'],
      [catalog.fp32, 'Uint32Array'],
      [parseFixedFormat('s1.0'), 'Int8Array'],
      [parseFixedFormat('s8.4'), 'Int8Array'],
      [parseFixedFormat('u8.4'), 'Uint8Array'],
      [parseFixedFormat('s9.0'), 'Int16Array'],
      [parseFixedFormat('u16.-3'), 'Uint16Array'],
      [parseFixedFormat('s32.16'), 'Int32Array'],
      [parseFixedFormat('u32.0'), 'Uint32Array'],
      [parseFixedFormat('s33.0'), 'Float64Array'],
      [fixedFormat({ width: 52, frac: 10, signed: false }), 'Float64Array'],
    ];
    for (const [s, name] of rows) {
      expect(storageOf(s), s.name).to.equal(name);
      expect(codeArray(s, 2).constructor.name).to.equal(name);
      expect(tensor(s, [2]).data.constructor.name).to.equal(name);
    }
  });

  it('shares a typed array given to tensor(), copies a plain array, and fills with code 0 without data', function () {
    const d = Uint8Array.of(1, 2, 3, 4);
    const t = tensor(catalog.e4m3fn, [2, 2], d);
    expect(t.data).to.equal(d);
    expect([t.shape, t.strides, t.offset, t.size, t.ndim]).to.deep.equal([[2, 2], [2, 1], 0, 4, 2]);
    const p = [1, 2, 3, 4];
    const u = tensor(catalog.e4m3fn, [4], p);
    expect(u.data).to.be.instanceOf(Uint8Array);
    p[0] = 9;
    expect(u.data[0]).to.equal(1);
    expect(Array.from(tensor(catalog.e8m0fnu, [3]).data)).to.deep.equal([0, 0, 0]);
    expect(Object.isFrozen(t) && Object.isFrozen(t.shape) && Object.isFrozen(t.strides)).to.equal(true);
  });

  it('fromNumbers equals encode / fixedFromNumber element by element, stochastic index = flat index', function () {
    const specs: TensorSpec[] = [catalog.e4m3fn, catalog.e5m2, catalog.bf16, catalog.fp16, catalog.e2m1fn, catalog.fp32, parseFixedFormat('s8.4:SR:SAT'), parseFixedFormat('u12.6:RND_CONV:WRAP'), parseFixedFormat('s40.20:RND:SAT')];
    fc.assert(
      fc.property(
        fc.constantFrom(...specs),
        fc.array(fc.oneof(fc.double(), fc.double({ min: -300, max: 300 }), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 0.5, 464)), { minLength: 0, maxLength: 30 }),
        fc.constantFrom(...ROUNDING_MODES),
        (s, xs, mode) => {
          const ctx = context({ rounding: mode, srBits: 9, seed: 31 });
          const { tensor: t, flags } = fromNumbers(s, [xs.length], xs, ctx);
          let want = 0;
          xs.forEach((x, i) => {
            const r = s.kind === 'float' ? encode(s, x, ctx, i) : fixedFromNumber(s, x, ctx, i);
            const code = 'code' in r ? r.code : r.raw;
            want |= r.flags;
            expect(t.data[i], `${s.name} ${x}`).to.equal(code);
          });
          expect(flags).to.equal(want);
          // toNumbers decodes exactly what decode / fixedToNumber give
          const back = toNumbers(t);
          xs.forEach((_, i) => {
            const v = s.kind === 'float' ? decode(s, t.data[i]!) : fixedToNumber(s, t.data[i]!);
            expect(Object.is(back[i], v)).to.equal(true);
          });
        },
      ),
      { seed: 29, numRuns: 300 },
    );
  });

  it('reports the flags of fromNumbers, and zeros gives +0 codes', function () {
    expect(fromNumbers(catalog.e4m3fn, [2], [1, 2]).flags).to.equal(0);
    expect(fromNumbers(catalog.e4m3fn, [3], [1, 1e-9, 1e9]).flags).to.equal(Flag.overflow | Flag.underflow | Flag.inexact);
    expect(Array.from(zeros(catalog.e4m3fnuz, [2]).data)).to.deep.equal([0, 0]);
    expect(Array.from(zeros(parseFixedFormat('s8.4'), [2]).data)).to.deep.equal([0, 0]);
    expect(toNumbers(zeros(catalog.fp16, [1]))[0]).to.equal(0);
  });

  it('toNumbers reads a view in row-major order of its shape', function () {
    const t = fromNumbers(catalog.fp32, [2, 3], [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]).tensor;
    expect(Array.from(toNumbers(transpose(t)))).to.deep.equal([1.5, 4.5, 2.5, 5.5, 3.5, 6.5]);
    expect(Array.from(toNumbers(tensor(parseFixedFormat('s12.1080'), [1], [1])))).to.deep.equal([0]); // 2^-1080 rounds to 0 in binary64
  });

  it('builds general views with the constructor (any strides and offset inside the data)', function () {
    const d = new Uint16Array(10).map((_, i) => i);
    const t = new Tensor(catalog.fp16, d, [3, 2], [-3, 2], 6);
    expect([t.get([0, 0]), t.get([0, 1]), t.get([2, 0]), t.get([2, 1])]).to.deep.equal([6, 8, 0, 2]);
    const b = new Tensor(catalog.fp16, d, [4, 4], [0, 0], 9);
    expect(b.get([3, 3])).to.equal(9);
    const e = new Tensor(catalog.fp16, d, [0, 5], [1000, 1000], 999); // empty: reaches nothing
    expect(e.size).to.equal(0);
  });
});
