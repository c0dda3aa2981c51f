/**
 * Stochastic rounding: unbiased in expectation within a stated bound (fixed seed), and reproducible
 * bit for bit for a given (seed, stream, index) whatever the evaluation order.
 */
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { decode, encode, encodeArray, add } from '../../src/ops/float/index.js';
import { context } from '../../src/round/modes.js';
import { srBits, srUniform } from '../../src/round/random.js';

const N = 100_000;

function meanOf(x: number, r: number, seed: number): { mean: number; lo: number; hi: number } {
  const s = catalog.e4m3fn;
  const ctx = context({ rounding: 'sr', srBits: r, seed });
  let sum = 0;
  for (let i = 0; i < N; i++) sum += decode(s, encode(s, x, ctx, i).code);
  const lo = decode(s, encode(s, x, context({ rounding: 'rdn' })).code);
  const hi = decode(s, encode(s, x, context({ rounding: 'rup' })).code);
  return { mean: sum / N, lo, hi };
}

describe('stochastic rounding (seed 12345)', function () {
  it('is unbiased when the discarded fraction is a multiple of 2^-r: |mean - x| < 5 standard errors', function () {
    // x = 1 + 0.3125·ulp (ulp of e4m3fn at 1 is 1/8): f = 0.3125 = 5/16, exact with r = 8.
    for (const f of [0.3125, 0.5, 0.75, 0.0625]) {
      const x = 1 + f / 8;
      const { mean, lo, hi } = meanOf(x, 8, 12345);
      const ulp = hi - lo;
      const se = ulp * Math.sqrt((f * (1 - f)) / N);
      expect(Math.abs(mean - x), `f = ${f}: mean ${mean}`).to.be.lessThan(5 * se);
    }
  });
  it('has a bias of at most 2^-r ulp (plus 5 standard errors) when the fraction needs more than r bits', function () {
    const r = 4;
    const f = 0.3;
    const x = 1 + f / 8;
    const { mean, lo, hi } = meanOf(x, r, 777);
    const ulp = hi - lo;
    const se = ulp * Math.sqrt((f * (1 - f)) / N);
    expect(mean - x).to.be.greaterThan(-5 * se);
    expect(mean - x).to.be.lessThan(ulp * 2 ** -r + 5 * se);
  });
  it('is unbiased through the array kernel too: encodeArray of 100,000 copies of x, |mean - x| < 5 standard errors', function () {
    for (const [s, x] of [[catalog.e4m3fn, 1 + 0.3125 / 8], [catalog.fp16, 3 + 0.75 * 2 ** -9], [catalog.bf16, -(2 ** 40) * (1 + 0.0625 * 2 ** -7)]] as const) {
      const ctx = context({ rounding: 'sr', srBits: 8, seed: 2024 });
      const dst = s.width <= 8 ? new Uint8Array(N) : new Uint16Array(N);
      encodeArray(s, new Float64Array(N).fill(x), dst, ctx);
      let sum = 0;
      for (let i = 0; i < N; i++) sum += decode(s, dst[i]!);
      const lo = decode(s, encode(s, x, context({ rounding: 'rdn' })).code);
      const ulp = decode(s, encode(s, x, context({ rounding: 'rup' })).code) - lo;
      const f = (x - lo) / ulp; // 5/16, 3/4, 15/16: multiples of 2^-8, so the expectation is exactly x
      const se = ulp * Math.sqrt((f * (1 - f)) / N);
      expect(Math.abs(sum / N - x), `${s.name} ${x}: mean ${sum / N}`).to.be.lessThan(5 * se);
    }
  });
  it('rounds a tiny addend up with probability 2^-r: sticky bits below the random bits count', function () {
    // 1 + 2^-20 in fp16: the discarded fraction is far below r = 8 random bits; it must still move
    // up sometimes (with probability 1/256), never with a zero fraction.
    const s = catalog.fp16;
    const ctx = context({ rounding: 'sr', srBits: 8, seed: 99 });
    const one = encode(s, 1).code;
    const tiny = encode(s, 2 ** -20).code;
    let ups = 0;
    for (let i = 0; i < 25600; i++) if (add(s, one, tiny, ctx, i).code !== one) ups++;
    expect(ups).to.be.within(100 - 40, 100 + 40); // binomial(25600, 1/256): mean 100, sd 10
    for (let i = 0; i < 1000; i++) expect(encode(s, 1.5, ctx, i)).to.deep.equal({ code: 0x3e00, flags: 0 });
  });
  it('gives the same bits for the same (seed, stream, index) in any evaluation order', function () {
    const s = catalog.bf16;
    const ctx = context({ rounding: 'sr', srBits: 12, seed: 5, stream: 3 });
    const xs = new Float64Array(5000).map((_, i) => Math.sin(i) * 10);
    const forward = new Uint16Array(xs.length);
    encodeArray(s, xs, forward, ctx);
    const order = Array.from(xs.keys()).sort((a, b) => srBits(1, 0, a) - srBits(1, 0, b));
    for (const i of order) expect(encode(s, xs[i]!, ctx, i).code, `element ${i}`).to.equal(forward[i]);
    // A different stream or seed gives different draws.
    expect(srUniform(5, 3, 17, 12)).to.not.equal(srUniform(5, 4, 17, 12));
    expect(srUniform(5, 3, 17, 12)).to.not.equal(srUniform(6, 3, 17, 12));
  });
  it('draws uniform random bits: each of 16 buckets of 160,000 draws within 5 sd of 10,000', function () {
    const buckets = new Array(16).fill(0);
    for (let i = 0; i < 160_000; i++) buckets[srUniform(42, 0, i, 4)]++;
    for (const b of buckets) expect(b).to.be.within(10000 - 500, 10000 + 500);
  });
});
