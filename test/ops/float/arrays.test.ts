/**
 * The array kernels are bit-identical, element by element, to the scalar operations (which the
 * exhaustive tests hold equal to the oracle), flags included, in every rounding mode.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../../src/formats/catalog.js';
import { encode, encodeArray, fma, fmaArray } from '../../../src/ops/float/index.js';
import { ROUNDING_MODES, context } from '../../../src/round/modes.js';
import type { FloatSpec } from '../../../src/formats/float.js';

const ENCODE_FORMATS: FloatSpec[] = [catalog.e4m3fn, catalog.e5m2, catalog.bf16, catalog.fp16, catalog.e2m1fn, catalog.e8m0fnu, catalog.e4m3fnuz, catalog.fp32, catalog.tf32];

/** Doubles that reach the corners: ties and near-ties of every catalog format, specials, extremes. */
function interestingDouble(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.double(),
    fc.double({ min: -1000, max: 1000 }),
    fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 464, 465, 448, 57344, 61440, 2 ** -9, 2 ** -10, 65504, 65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26),
    fc.tuple(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -40, max: 40 })).map(([k, e]) => (k + 0.5) * 2 ** e),
    fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: -150, max: 130 }), fc.integer({ min: -2, max: 2 })).map(
      ([k, e, d]) => k * 2 ** e * (1 + d * 2 ** -52),
    ),
  );
}

describe('array kernels agree with the scalar operations (seed 42)', function () {
  for (const s of ENCODE_FORMATS) {
    it(`encodeArray equals encode for ${s.name} in every mode`, function () {
      fc.assert(
        fc.property(fc.array(interestingDouble(), { minLength: 1, maxLength: 40 }), fc.constantFrom(...ROUNDING_MODES), fc.nat(1000), (xs, mode, base) => {
          const ctx = context({ rounding: mode, srBits: 7, seed: 3 });
          const src = new Float64Array(xs);
          const dst = s.width <= 8 ? new Uint8Array(xs.length) : s.width <= 16 ? new Uint16Array(xs.length) : new Uint32Array(xs.length);
          const fl = new Uint8Array(xs.length);
          encodeArray(s, src, dst, ctx, fl, base);
          for (let i = 0; i < xs.length; i++) {
            const r = encode(s, src[i]!, ctx, base + i);
            expect([dst[i], fl[i]], `encode ${s.name} ${mode} ${src[i]}`).to.deep.equal([Number(r.code), r.flags]);
          }
        }),
        { seed: 42, numRuns: 300 },
      );
    });
  }
  for (const s of [catalog.fp16, catalog.bf16, catalog.e4m3fn, catalog.e5m2, catalog.e2m1fn, catalog.e8m0fnu]) {
    it(`fmaArray equals fma for ${s.name} in every mode`, function () {
      const n = 2 ** s.width;
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(n - 1)), { minLength: 1, maxLength: 40 }),
          fc.constantFrom(...ROUNDING_MODES),
          fc.constantFrom<'before' | 'after'>('before', 'after'),
          (cases, mode, tininess) => {
            const ctx = context({ rounding: mode, tininess, srBits: 9, seed: 11 });
            const Arr = s.width <= 8 ? Uint8Array : Uint16Array;
            const a = new Arr(cases.map((c) => c[0]));
            const b = new Arr(cases.map((c) => c[1]));
            const c = new Arr(cases.map((c) => c[2]));
            const out = new Arr(cases.length);
            const fl = new Uint8Array(cases.length);
            fmaArray(s, a, b, c, out, ctx, fl);
            for (let i = 0; i < cases.length; i++) {
              const r = fma(s, a[i]!, b[i]!, c[i]!, ctx, i);
              expect([out[i], fl[i]], `fma ${s.name} ${mode}`).to.deep.equal([Number(r.code), r.flags]);
            }
          },
        ),
        { seed: 42, numRuns: 300 },
      );
    });
  }
});

describe('fmaArray in rne, on every pair of 8-bit codes and on 200,000 fp16 triples (seed 7)', function () {
  for (const s of [catalog.e4m3fn, catalog.e5m2, catalog.e2m1fn, catalog.e8m0fnu]) {
    it(`equals fma on every ${s.name} pair with every addend of a 16-code set`, function () {
      const n = 2 ** s.width;
      const addends = Array.from({ length: 16 }, (_, k) => (k * 37) % n);
      const total = n * n * addends.length;
      const A = s.width <= 8 ? Uint8Array : Uint16Array;
      const a = new A(total);
      const b = new A(total);
      const c = new A(total);
      let k = 0;
      for (const z of addends) for (let i = 0; i < n * n; i++, k++) {
        a[k] = Math.floor(i / n);
        b[k] = i % n;
        c[k] = z;
      }
      const out = new A(total);
      const fl = new Uint8Array(total);
      fmaArray(s, a, b, c, out, context(), fl);
      for (let i = 0; i < total; i++) {
        const r = fma(s, a[i]!, b[i]!, c[i]!);
        if (out[i] !== r.code || fl[i] !== r.flags) {
          expect([out[i], fl[i]], `fma(${a[i]}, ${b[i]}, ${c[i]})`).to.deep.equal([r.code, r.flags]);
        }
      }
    });
  }
  it('equals fma on 200,000 random fp16 triples', function () {
    const s = catalog.fp16;
    const total = 200_000;
    let x = 7;
    const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 16;
    const a = new Uint16Array(total).map(next);
    const b = new Uint16Array(total).map(next);
    const c = new Uint16Array(total).map(next);
    const out = new Uint16Array(total);
    const fl = new Uint8Array(total);
    fmaArray(s, a, b, c, out, context(), fl);
    for (let i = 0; i < total; i++) {
      const r = fma(s, a[i]!, b[i]!, c[i]!);
      if (out[i] !== r.code || fl[i] !== r.flags) {
        expect([out[i], fl[i]], `fma(${a[i]}, ${b[i]}, ${c[i]})`).to.deep.equal([r.code, r.flags]);
      }
    }
  });
});
