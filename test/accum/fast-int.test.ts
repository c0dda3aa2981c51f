/**
 * The integer-domain fast path (src/accum/fast-int.ts) gives exactly the general engine's results,
 * flags and statistics: random int, fixed-point and exact accumulators (every fixed overflow mode,
 * wrap and saturate), int/fixed operands (and narrow floats into exact accumulators), sequential or
 * chunked, outputs in the accumulator's format, a fixed format (every quantisation mode, stochastic
 * included) or a float format; codes at the extremes so that registers overflow. Seeds fixed.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { intPlan } from '../../src/accum/fast-int.js';
import { int8Int32Wrap, int8Int32Sat, gupta2015Nearest, gupta2015Stochastic } from '../../src/accum/presets/papers.js';
import { fixedFormat } from '../../src/formats/fixed.js';
import { intFormat } from '../../src/accum/types.js';
import type { MacSpec } from '../../src/accum/mac-spec.js';
import { LEVEL } from '../support/bridge.js';
import { anyCodeArb, cCodeArb, compareDot, compareDot2, intSpecArb } from './fast-arbs.js';

describe('the integer-domain fast path equals the general engine (seed 4201)', function () {
  it('is built for int, fixed and exact accumulators that never quantise, and not otherwise', function () {
    for (const s of [int8Int32Wrap, int8Int32Sat, gupta2015Nearest, gupta2015Stochastic]) expect(intPlan(s), s.name).to.not.equal(null);
    const s8 = fixedFormat({ width: 8, frac: 4 });
    // Products with 8 fraction bits into a 4-fraction-bit accumulator would quantise: general engine.
    expect(intPlan({ ...int8Int32Wrap, a: s8, b: s8, acc: { kind: 'fixed', format: fixedFormat({ width: 32, frac: 4 }) } })).to.equal(null);
    expect(intPlan({ ...int8Int32Wrap, a: s8, b: s8, acc: { kind: 'fixed', format: fixedFormat({ width: 32, frac: 8 }) } })).to.not.equal(null);
    // A 64-bit accumulator leaves the binary64 integers.
    expect(intPlan({ ...int8Int32Wrap, acc: { kind: 'int', format: intFormat(64, true), overflow: 'wrap' } })).to.equal(null);
  });

  it('gives identical codes, flags and statistics on random specs and codes', function () {
    const arb = intSpecArb.chain((spec) =>
      fc.integer({ min: 0, max: 40 }).chain((k) =>
        fc.record({
          spec: fc.constant(spec),
          a: fc.array(anyCodeArb(spec.a), { minLength: k, maxLength: k }),
          b: fc.array(anyCodeArb(spec.b), { minLength: k, maxLength: k }),
          c: cCodeArb(spec),
          index: fc.nat(5000),
        }),
      ),
    );
    const seen = { plans: 0, fast: 0, chunked: 0, exact: 0, int: 0, fixed: 0, overflow: 0, saturation: 0, swamped: 0, inexact: 0, outFloat: 0, outFixed: 0, sr: 0 };
    fc.assert(
      fc.property(arb, ({ spec, a, b, c, index }) => {
        const r = compareDot(spec, a, b, c, index);
        if (r.plan) seen.plans++;
        if (!r.fast) return;
        seen.fast++;
        if (spec.summation.kind === 'chunked') seen.chunked++;
        seen[spec.acc.kind as 'exact' | 'int' | 'fixed']++;
        if (r.stats.overflows > 0) seen.overflow++;
        if (r.stats.saturations > 0) seen.saturation++;
        if (r.stats.swamped > 0) seen.swamped++;
        if (r.stats.inexact > 0) seen.inexact++;
        if (spec.output?.format.kind === 'float') seen.outFloat++;
        if (spec.output?.format.kind === 'fixed') {
          seen.outFixed++;
          if (spec.output.format.quant === 'SR') seen.sr++;
        }
      }),
      { seed: 4201, numRuns: LEVEL === 'full' ? 40000 : 4000 },
    );
    if (process.env.SHOW_SEEN) console.log(seen);
    const min = LEVEL === 'full' ? 200 : 20;
    for (const [k, v] of Object.entries(seen)) expect(v, `fast dot products with ${k}`).to.be.greaterThan(min);
  });

  it('computes two dot products at once (the kernels\' two-lane loops) exactly as two general-engine dot products', function () {
    const arb = intSpecArb.chain((spec) =>
      fc.integer({ min: 0, max: 40 }).chain((k) => {
        const codes = (f: typeof spec.a) => fc.array(anyCodeArb(f), { minLength: k, maxLength: k });
        return fc.record({ spec: fc.constant(spec), a: codes(spec.a), b0: codes(spec.b), b1: codes(spec.b), c0: cCodeArb(spec), c1: cCodeArb(spec), index: fc.nat(5000) });
      }),
    );
    let finished = 0;
    fc.assert(
      fc.property(arb, ({ spec, a, b0, b1, c0, c1, index }) => {
        finished += compareDot2(spec, a, b0, b1, c0, c1, index);
      }),
      { seed: 4204, numRuns: LEVEL === 'full' ? 40000 : 4000 },
    );
    expect(finished, 'lanes finished on the fast path').to.be.greaterThan(LEVEL === 'full' ? 20000 : 2000);
  });

  it('hands exact sums that may leave the binary64 integers (beyond 2^53) back to the general engine', function () {
    const i26 = intFormat(26, true);
    let fast = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.nat(), fc.boolean(), (k, seed, toFloat) => {
        let x = seed;
        const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
        const big = () => (next() & 1 ? 2 ** 25 - 1 - (next() & 7) : 2 ** 25 + (next() & 7)); // near ±2^25
        const a = Array.from({ length: k }, big);
        const b = Array.from({ length: k }, () => (next() & 3 ? a[0]! : big()));
        const spec: MacSpec = {
          a: i26,
          b: i26,
          product: { kind: 'exact' },
          fused: true,
          acc: { kind: 'exact' },
          summation: { kind: 'sequential' },
          output: { format: toFloat ? fixedFormat({ width: 24, frac: -30, quant: 'RND_CONV', overflow: 'SAT' }) : fixedFormat({ width: 52, frac: -4, quant: 'RND_CONV', overflow: 'WRAP' }) },
        };
        if (compareDot(spec, a, b, 0, 0).fast) fast++;
      }),
      { seed: 4203, numRuns: LEVEL === 'full' ? 3000 : 300 },
    );
    expect(fast).to.be.greaterThan(10);
  });

  it('runs long int8 dot products through an int32 register that wraps and saturates', function () {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 100, max: 600 }), fc.nat(), fc.nat(0xffffffff), (sat, k, seed, c) => {
        let x = seed;
        const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24) & 0xff;
        const a = Array.from({ length: k }, () => (next() & 1 ? 0x80 : 0x7f));
        const b = Array.from({ length: k }, () => (next() & 3 ? 0x80 : next()));
        const spec: MacSpec = sat ? int8Int32Sat : int8Int32Wrap;
        const r = compareDot(spec, a, b, c, 0);
        expect(r.fast).to.equal(true);
      }),
      { seed: 4202, numRuns: LEVEL === 'full' ? 2000 : 150 },
    );
  });
});
