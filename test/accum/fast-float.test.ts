/**
 * The float-accumulator fast path (src/accum/fast-float.ts) gives exactly the general engine's
 * results, flags and statistics: random specs of its shape (operand floats from fp4 to fp32 and fixed
 * point, accumulators of 1 to 24 bits with every special encoding, every rounding mode including
 * stochastic, both tininess rules, fused or separate, exact or rounded products, sequential or
 * chunked, outputs in float or fixed formats), random codes including NaN, ∞, subnormals and values
 * that overflow, random K (0, 1, and not a multiple of the chunk). Seeds fixed.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { floatFormat, type FloatSpec } from '../../src/formats/float.js';
import { fixedFormat } from '../../src/formats/fixed.js';
import { macUnit } from '../../src/accum/mac-unit.js';
import { encode, decode } from '../../src/ops/float/index.js';
import { context } from '../../src/round/modes.js';
import { Flag } from '../../src/flags.js';
import { floatPlan } from '../../src/accum/fast-float.js';
import { fastPlan } from '../../src/accum/fast-plan.js';
import { bf16Fp32, wang2018Chunk64, sakr2019, fp32SequentialFma } from '../../src/accum/presets/papers.js';
import type { MacSpec } from '../../src/accum/mac-spec.js';
import { LEVEL } from '../support/bridge.js';
import { anyCodeArb, moderateCodeArb, cCodeArb, compareDot, compareDot2, ctxArb, floatSpecArb, ACC_FLOATS } from './fast-arbs.js';

describe('the float-accumulator fast path equals the general engine (seed 4101)', function () {
  it('is built for float accumulators of ≤ 24 bits, sequential or chunked, and not for other shapes', function () {
    for (const s of [bf16Fp32, wang2018Chunk64, sakr2019(8), sakr2019(8, 64), fp32SequentialFma]) expect(floatPlan(s), s.name).to.not.equal(null);
    expect(floatPlan({ ...bf16Fp32, summation: { kind: 'tree', fanIn: 2 } })).to.equal(null);
    expect(floatPlan({ ...bf16Fp32, acc: { kind: 'float', format: catalog.fp64 } })).to.equal(null);
    expect(floatPlan({ ...bf16Fp32, a: catalog.fp32, b: catalog.fp64 })).to.equal(null); // products not exact in binary64
    // Stochastic rounding of sums needs manBits + srBits ≤ 52.
    expect(floatPlan({ ...bf16Fp32, acc: { kind: 'float', format: catalog.fp32, ctx: context({ rounding: 'sr', srBits: 29 }) } })).to.not.equal(null);
    expect(floatPlan({ ...bf16Fp32, acc: { kind: 'float', format: catalog.fp32, ctx: context({ rounding: 'sr', srBits: 30 }) } })).to.equal(null);
  });

  it('gives identical codes, flags and statistics on random specs and codes', function () {
    const arb = floatSpecArb.chain((spec) =>
      fc.record({ k: fc.integer({ min: 0, max: 40 }), corners: fc.boolean() }).chain(({ k, corners }) =>
        fc.record({
          spec: fc.constant(spec),
          a: fc.array(corners ? anyCodeArb(spec.a) : moderateCodeArb(spec.a), { minLength: k, maxLength: k }),
          b: fc.array(corners ? anyCodeArb(spec.b) : moderateCodeArb(spec.b), { minLength: k, maxLength: k }),
          c: cCodeArb(spec),
          index: fc.nat(5000),
        }),
      ),
    );
    const seen = { plans: 0, fast: 0, chunked: 0, sr: 0, otherMode: 0, rounded: 0, separate: 0, underflow: 0, swamped: 0, outFloat: 0, outFixed: 0, fp32ops: 0, k1: 0 };
    fc.assert(
      fc.property(arb, ({ spec, a, b, c, index }) => {
        const r = compareDot(spec, a, b, c, index);
        if (r.plan) seen.plans++;
        if (!r.fast) return;
        seen.fast++;
        if (spec.summation.kind === 'chunked') seen.chunked++;
        const mode = spec.acc.kind === 'float' ? spec.acc.ctx?.rounding : undefined;
        if (mode === 'sr') seen.sr++;
        else if (mode !== 'rne') seen.otherMode++;
        if (spec.product.kind === 'round') seen.rounded++;
        else if (!spec.fused) seen.separate++;
        if (r.flags & Flag.underflow) seen.underflow++;
        if (r.stats.swamped > 0) seen.swamped++;
        if (spec.output?.format.kind === 'float') seen.outFloat++;
        if (spec.output?.format.kind === 'fixed') seen.outFixed++;
        if (spec.a === catalog.fp32 || spec.b === catalog.fp32) seen.fp32ops++;
        if (a.length === 1) seen.k1++;
      }),
      { seed: 4101, numRuns: LEVEL === 'full' ? 40000 : 4000 },
    );
    // The corners were reached on the fast path itself (not only handed back to the general engine).
    const min = LEVEL === 'full' ? 200 : 20;
    if (process.env.SHOW_SEEN) console.log(seen);
    for (const [k, v] of Object.entries(seen)) expect(v, `fast dot products with ${k}`).to.be.greaterThan(min);
  });

  it('breaks ties exactly when binary64 makes a false midpoint (a product of two fp32 values, sum error ≠ 0)', function () {
    // acc = v (or its successor v + 2h) and p = ±h·(1 - 2^-46) with h half an ulp of v: s = fl(acc + p)
    // is the P-bit midpoint v + h, while the exact sum lies 2^-46·h below or above it.
    const x = encode(catalog.fp32, 1 + 2 ** -23).code as number;
    let tested = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...ACC_FLOATS.filter((f) => f.precision >= 7), floatFormat({ expBits: 8, manBits: 6 })),
        fc.constantFrom<'rne' | 'sr'>('rne', 'rne', 'sr'),
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        fc.nat(100),
        (acc: FloatSpec, rounding, pick, up, neg, index) => {
          // A normal value of the accumulator well inside fp32's range.
          const lo = Math.max(acc.emin + 2, -100);
          const hi = Math.min(acc.emax - 2, 100);
          const E = lo + (pick % (hi - lo + 1));
          const m = Math.floor(pick / 7) % acc.manScale;
          const v = (1 + m / acc.manScale) * 2 ** E;
          const h = 2 ** (E - acc.manBits - 1);
          const accV = up ? v + 2 * h : v;
          const y = encode(catalog.fp32, (up ? -h : h) * (1 - 2 ** -23)).code as number;
          const sign = neg ? -1 : 1;
          const c = encode(acc, sign * accV).code as number;
          if (decode(acc, c) !== sign * accV) return;
          const spec: MacSpec = { ...fp32SequentialFma, acc: { kind: 'float', format: acc, ctx: context({ rounding, srBits: 8 }) } };
          const yy = neg ? (y ^ 0x80000000) >>> 0 : y;
          const r = compareDot(spec, [x], [yy], c, index);
          expect(r.fast, 'finished on the fast path').to.equal(true);
          tested++;
        },
      ),
      { seed: 4102, numRuns: LEVEL === 'full' ? 20000 : 2000 },
    );
    expect(tested).to.be.greaterThan(1000);
  });

  it('rounds sums just above and below the smallest normal as the engine does (both tininess rules)', function () {
    // c = ±minNormal·(1 + i·2^-m), plus products p = -(n·2^(emin-m-5)) of two fp32 values: sums land on
    // both sides of the underflow threshold, on and off the subnormal grid.
    let tested = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...ACC_FLOATS.filter((f) => f.emin > -120)),
        ctxArb,
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.integer({ min: -80, max: 80 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.nat(100),
        (acc: FloatSpec, ctx, i, ns, neg, index) => {
          const sign = neg ? -1 : 1;
          const c = encode(acc, sign * acc.minNormal * (1 + i / acc.manScale)).code as number;
          const lsb = acc.emin - acc.manBits - 5;
          const t = Math.ceil(lsb / 2);
          const y = encode(catalog.fp32, 2 ** (lsb - t)).code as number;
          const a = ns.map((n) => encode(catalog.fp32, -sign * n * 2 ** t).code as number);
          const spec: MacSpec = { ...fp32SequentialFma, acc: { kind: 'float', format: acc, ctx } };
          const r = compareDot(spec, a, a.map(() => y), c, index);
          if (r.fast) tested++;
        },
      ),
      { seed: 4103, numRuns: LEVEL === 'full' ? 20000 : 2000 },
    );
    expect(tested).to.be.greaterThan(500);
  });

  it('computes two dot products at once (the kernels\' two-lane loops) exactly as two general-engine dot products', function () {
    const arb = floatSpecArb.chain((spec) =>
      fc.record({ k: fc.integer({ min: 0, max: 40 }), corners: fc.boolean() }).chain(({ k, corners }) => {
        const codes = (f: typeof spec.a) => fc.array(corners ? anyCodeArb(f) : moderateCodeArb(f), { minLength: k, maxLength: k });
        return fc.record({ spec: fc.constant(spec), a: codes(spec.a), b0: codes(spec.b), b1: codes(spec.b), c0: cCodeArb(spec), c1: cCodeArb(spec), index: fc.nat(5000) });
      }),
    );
    let finished = 0;
    fc.assert(
      fc.property(arb, ({ spec, a, b0, b1, c0, c1, index }) => {
        finished += compareDot2(spec, a, b0, b1, c0, c1, index);
      }),
      { seed: 4104, numRuns: LEVEL === 'full' ? 40000 : 4000 },
    );
    expect(finished, 'lanes finished on the fast path').to.be.greaterThan(LEVEL === 'full' ? 20000 : 2000);
  });

  it('takes the hot loops\' rare exits exactly: swamping, addends lost in binary64, exact cancellation, zeros, tiny sums', function () {
    // The shapes the kernels' hot loops serve, ties to even, with values spread over huge exponent
    // gaps (an addend below 2^-53 of the other), exact cancellations and zeros.
    const seq = (acc: FloatSpec, a: FloatSpec, b = a): MacSpec => ({ a, b, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: acc }, summation: { kind: 'sequential' } });
    const HOT: MacSpec[] = [
      seq(catalog.fp32, catalog.e4m3fn),
      seq(catalog.fp32, catalog.bf16),
      seq(catalog.fp32, catalog.fp16),
      seq(catalog.fp32, catalog.fp32),
      seq(catalog.fp16, catalog.fp16),
      seq(catalog.bf16, catalog.bf16),
      seq(catalog.ibm_fp16_169, catalog.e5m2),
      wang2018Chunk64,
      { ...wang2018Chunk64, summation: { kind: 'chunked', chunk: 5, inner: { kind: 'float', format: catalog.ibm_fp16_169 } } },
      sakr2019(8, 7),
    ];
    const valueArb = fc.oneof(
      fc.double({ min: -4, max: 4, noNaN: true }),
      fc.tuple(fc.double({ min: 1, max: 2, noNaN: true }), fc.integer({ min: -140, max: 120 }), fc.boolean()).map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e),
      fc.constantFrom(0, -0, 1, -1, 2 ** -60, 2 ** 60, -(2 ** 70)),
    );
    const arb = fc.constantFrom(...HOT).chain((spec) =>
      fc.integer({ min: 1, max: 30 }).chain((k) =>
        fc.record({
          spec: fc.constant(spec),
          va: fc.array(valueArb, { minLength: k, maxLength: k }),
          vb0: fc.array(valueArb, { minLength: k, maxLength: k }),
          vb1: fc.array(valueArb, { minLength: k, maxLength: k }),
          cancel: fc.boolean(),
          c0: valueArb,
          c1: valueArb,
          index: fc.nat(100),
        }),
      ),
    );
    let finished = 0;
    fc.assert(
      fc.property(arb, ({ spec, va, vb0, vb1, cancel, c0, c1, index }) => {
        const fa = spec.a as FloatSpec;
        const fb = spec.b as FloatSpec;
        const fcc = (spec.acc as { format: FloatSpec }).format;
        const enc = (f: FloatSpec, x: number) => encode(f, x).code as number;
        const a = va.map((x) => enc(fa, x));
        // Exact cancellation: the second half repeats the first with b negated.
        const half = (v: number[]) => (cancel ? v.map((x, i) => (i >= v.length >> 1 ? -v[i - (v.length >> 1)]! : x)) : v);
        if (cancel) for (let i = va.length >> 1; i < va.length; i++) a[i] = a[i - (va.length >> 1)]!;
        const b0 = half(vb0).map((x) => enc(fb, x));
        const b1 = half(vb1).map((x) => enc(fb, x));
        finished += compareDot2(spec, a, b0, b1, enc(fcc, c0), enc(fcc, c1), index);
        compareDot(spec, a, b0, enc(fcc, c0), index);
      }),
      { seed: 4105, numRuns: LEVEL === 'full' ? 30000 : 3000 },
    );
    expect(finished, 'lanes finished on the fast path').to.be.greaterThan(LEVEL === 'full' ? 10000 : 1000);
  });

  it('stays exact without the range test when no sum can be tiny (products multiples of 2^120), and leaves overflowing lanes to the engine', function () {
    // Operands k·2^60 (8-bit fixed point with frac −60): every product is a multiple of 2^120 and up to
    // 2^134, beyond fp32's range. Start values: zero and multiples of 2^120 (the loop without the range
    // test), 1.5 (not a multiple: the loop with it), ±2^127 (next to overflow).
    const big = fixedFormat({ width: 8, frac: -60 });
    const spec: MacSpec = { a: big, b: big, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } };
    const general = macUnit(spec, { generalOnly: true });
    const f32 = (x: number) => encode(catalog.fp32, x).code as number;
    const cArb = fc.constantFrom(0, f32(2 ** 125), f32(-(2 ** 127)), f32(3 * 2 ** 120), f32(1.5), f32(2 ** 127));
    const arb = fc.integer({ min: 1, max: 40 }).chain((k) => {
      // Mostly small integers (|k| ≤ 7: sums of products near 2^126), sometimes any code (overflow).
      const small = fc.integer({ min: -7, max: 7 }).map((v) => v & 255);
      const codes = fc.array(fc.oneof({ weight: 12, arbitrary: small }, { weight: 1, arbitrary: fc.nat(255) }), { minLength: k, maxLength: k });
      return fc.record({ a: codes, b0: codes, b1: codes, c0: cArb, c1: cArb, index: fc.nat(100) });
    });
    let finished = 0;
    let overflowed = 0;
    fc.assert(
      fc.property(arb, ({ a, b0, b1, c0, c1, index }) => {
        finished += compareDot2(spec, a, b0, b1, c0, c1, index);
        if (general.dot(a, b0, c0, index).flags & Flag.overflow) overflowed++;
      }),
      { seed: 4107, numRuns: LEVEL === 'full' ? 20000 : 2000 },
    );
    expect(finished, 'lanes finished on the fast path').to.be.greaterThan(LEVEL === 'full' ? 5000 : 500);
    expect(overflowed, 'lanes that overflow').to.be.greaterThan(LEVEL === 'full' ? 2000 : 200);
    // e4m3fn × e4m3fn into fp32 (products multiples of 2^-18): the same loop with inexact and swamped
    // additions (products from 2^-18 to 448², whose sums need more than 24 bits).
    const e4: MacSpec = { ...spec, a: catalog.e4m3fn, b: catalog.e4m3fn };
    const g4 = macUnit(e4, { generalOnly: true });
    const finite = fc.nat(255).filter((x) => (x & 0x7f) !== 0x7f);
    const arb4 = fc.integer({ min: 1, max: 40 }).chain((k) => {
      const codes = fc.array(finite, { minLength: k, maxLength: k });
      return fc.record({ a: codes, b0: codes, b1: codes, c0: fc.constantFrom(0, f32(1), f32(-448), f32(2 ** -18), f32(1.1)), c1: fc.constantFrom(0, f32(3)), index: fc.nat(100) });
    });
    let fin4 = 0;
    let inexact = 0;
    fc.assert(
      fc.property(arb4, ({ a, b0, b1, c0, c1, index }) => {
        fin4 += compareDot2(e4, a, b0, b1, c0, c1, index);
        if (g4.dot(a, b0, c0, index).stats.inexact > 0) inexact++;
      }),
      { seed: 4108, numRuns: LEVEL === 'full' ? 20000 : 2000 },
    );
    expect(fin4, 'e4m3fn lanes finished on the fast path').to.be.greaterThan(LEVEL === 'full' ? 20000 : 2000);
    expect(inexact, 'e4m3fn lanes with an inexact addition').to.be.greaterThan(LEVEL === 'full' ? 5000 : 500);
  });

  it('is taken by the presets it covers, through DotUnit.dot', function () {
    expect(fastPlan(wang2018Chunk64)?.kind).to.equal('float');
    expect(fastPlan(bf16Fp32)?.kind).to.equal('float');
  });
});
