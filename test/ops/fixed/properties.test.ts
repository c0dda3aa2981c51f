/**
 * Property tests of the fixed-point kernels. These are internal consistency checks (the number path
 * against the BigInt path, the wide path against plain BigInt arithmetic written here); the
 * independent oracle lives in `test/oracle/`.
 */

import { expect } from 'chai';
import fc from 'fast-check';
import { exactFromNumber, type ExactValue } from '../../../src/formats/exact.js';
import {
  FIXED_OVERFLOWS,
  FIXED_QUANTS,
  fixedFormat,
  formatFixedName,
  parseFixedFormat,
  type FixedFormatOptions,
  type FixedResult,
  type FixedSpec,
} from '../../../src/formats/fixed.js';
import { Flag } from '../../../src/flags.js';
import {
  fixedAdd,
  fixedConvert,
  fixedFromExact,
  fixedFromNumber,
  fixedMul,
  fixedQuantizeArray,
  fixedSub,
  fixedToNumber,
} from '../../../src/ops/fixed/index.js';
import { context, type Context } from '../../../src/round/modes.js';

const FULL = process.env.BITEXACT_LEVEL === 'full';
const RUNS = FULL ? 20000 : 1500;

function params(seed: number, numRuns = RUNS) {
  return { seed, numRuns };
}

/** Results are equal: same raw (Object.is: no -0, same type) and same flags. */
function same(a: FixedResult, b: FixedResult): boolean {
  return Object.is(a.raw, b.raw) && a.flags === b.flags;
}

function show(r: FixedResult): string {
  return `{ raw: ${String(r.raw)}${typeof r.raw === 'bigint' ? 'n' : ''}, flags: ${r.flags} }`;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const fracArb = (maxNear: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -8, max: maxNear }) },
    { weight: 1, arbitrary: fc.constantFrom(-4096, -1100, -1023, -1000, 1000, 1022, 1074, 1080, 1100, 4096) },
  );

function specArb(minWidth: number, maxWidth: number, maxNear = 64): fc.Arbitrary<FixedSpec> {
  return fc
    .record({
      width: fc.integer({ min: minWidth, max: maxWidth }),
      frac: fracArb(maxNear),
      signed: fc.boolean(),
      quant: fc.constantFrom(...FIXED_QUANTS),
      overflow: fc.constantFrom(...FIXED_OVERFLOWS),
      satSeed: fc.nat(),
    })
    .map(({ width, frac, signed, quant, overflow, satSeed }) => {
      const o: FixedFormatOptions = {
        width,
        frac,
        signed,
        quant,
        overflow: overflow === 'WRAP_SM' && !signed ? 'WRAP' : overflow,
        // Saturation bits: mostly 0 or 1 (the library's common cases), sometimes any 0..width.
        satBits: satSeed % 4 === 0 ? satSeed % (width + 1) : satSeed % 3 === 0 ? Math.min(1, width) : 0,
      };
      return fixedFormat(o);
    });
}

const narrowSpec = specArb(1, 52);
const ctxArb: fc.Arbitrary<Context> = fc
  .record({ srBits: fc.integer({ min: 1, max: 32 }), seed: fc.nat({ max: 0xffffffff }), stream: fc.nat({ max: 0xffffffff }) })
  .map((o) => context(o));
const indexArb = fc.oneof(fc.nat({ max: 1000 }), fc.nat({ max: Number.MAX_SAFE_INTEGER }));

/** Discarded fractions that reach every decision: exact, ties, either side of a tie, tiny, near 1, random. */
const fractionArb = fc.oneof(
  fc.constantFrom(0, 0.25, 0.5, 0.75, 2 ** -30, 1 - 2 ** -30, 0.5 - 2 ** -40, 0.5 + 2 ** -40, 2 ** -52, 1 - 2 ** -52),
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
);

/** A binary64 source near the spec's grid and range (or anything at all, NaN and ±∞ included). */
function valueArb(spec: FixedSpec): fc.Arbitrary<number> {
  const lo = spec.loNum;
  const hi = spec.hiNum;
  const span = hi - lo + 1;
  const near = fc
    .tuple(
      fc.oneof(
        fc.integer({ min: -8, max: 8 }).map((d) => lo + d),
        fc.integer({ min: -8, max: 8 }).map((d) => hi + d),
        fc.double({ min: lo - 2 * span, max: hi + 2 * span, noNaN: true }).map(Math.floor),
        fc.integer({ min: -3, max: 3 }),
      ),
      fractionArb,
      fc.boolean(),
    )
    .map(([k, f, neg]) => {
      const v = (k + f) * 2 ** -spec.frac;
      return neg && k === 0 ? -v : v;
    });
  return fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: fc.double() });
}

/** A raw value in the spec's range, edges favoured. */
function rawArb(spec: FixedSpec): fc.Arbitrary<number> {
  const lo = spec.loNum;
  const hi = spec.hiNum;
  return fc.oneof(
    fc.constantFrom(lo, hi, 0, Math.min(1, hi), Math.max(-1, lo), lo + Math.min(1, hi - lo), hi - Math.min(1, hi - lo)),
    fc.double({ min: lo, max: hi, noNaN: true }).map((v) => Math.min(hi, Math.max(lo, Math.round(v)))),
  );
}

function exactOf(v: bigint, exp: number): ExactValue {
  if (v === 0n) return { kind: 'zero', sign: 0 };
  return { kind: 'finite', sign: v < 0n ? 1 : 0, sig: v < 0n ? -v : v, exp };
}

// ---------------------------------------------------------------------------------------------

describe('fixed point: number fast path against the BigInt path', function () {
  it('fixedFromNumber equals fixedFromExact(exactFromNumber(x)) for random specs of width ≤ 52 and values (seed 101)', function () {
    fc.assert(
      fc.property(
        narrowSpec.chain((s) => fc.tuple(fc.constant(s), valueArb(s), ctxArb, indexArb)),
        ([spec, x, ctx, index]) => {
          const a = fixedFromNumber(spec, x, ctx, index);
          const b = fixedFromExact(spec, exactFromNumber(x), ctx, index);
          if (!same(a, b)) throw new Error(`${spec.name} x=${x}: number ${show(a)}, exact ${show(b)}`);
        },
      ),
      params(101),
    );
  });

  it('fixedQuantizeArray equals fixedFromNumber element by element, flags ORed (seed 102)', function () {
    fc.assert(
      fc.property(
        narrowSpec.chain((s) => fc.tuple(fc.constant(s), fc.array(valueArb(s), { maxLength: 20 }), ctxArb, fc.nat({ max: 1e6 }))),
        ([spec, xs, ctx, index0]) => {
          const dst = new Float64Array(xs.length);
          const flags = fixedQuantizeArray(spec, Float64Array.from(xs), dst, ctx, index0);
          let want = 0;
          xs.forEach((x, i) => {
            const r = fixedFromNumber(spec, x, ctx, index0 + i);
            want |= r.flags;
            if (!Object.is(dst[i], r.raw)) throw new Error(`${spec.name} x=${x}: array ${dst[i]}, scalar ${String(r.raw)}`);
          });
          expect(flags).to.equal(want);
        },
      ),
      params(102, Math.floor(RUNS / 3)),
    );
  });

  const ops = [
    ['fixedAdd', fixedAdd, (a: bigint, b: bigint, as: FixedSpec, bs: FixedSpec) => {
      const L = Math.max(as.frac, bs.frac);
      return exactOf((a << BigInt(L - as.frac)) + (b << BigInt(L - bs.frac)), -L);
    }],
    ['fixedSub', fixedSub, (a: bigint, b: bigint, as: FixedSpec, bs: FixedSpec) => {
      const L = Math.max(as.frac, bs.frac);
      return exactOf((a << BigInt(L - as.frac)) - (b << BigInt(L - bs.frac)), -L);
    }],
    ['fixedMul', fixedMul, (a: bigint, b: bigint, as: FixedSpec, bs: FixedSpec) => exactOf(a * b, -(as.frac + bs.frac))],
  ] as const;

  ops.forEach(([name, op, exact], i) => {
    it(`${name} on number operands equals it on BigInt operands and on the exact result (seed ${110 + i})`, function () {
      const operandSpec = specArb(1, 40, 40);
      fc.assert(
        fc.property(
          fc
            .tuple(operandSpec, operandSpec, narrowSpec)
            .chain(([as, bs, t]) => fc.tuple(fc.constant(as), rawArb(as), fc.constant(bs), rawArb(bs), fc.constant(t), ctxArb, indexArb)),
          ([as, a, bs, b, t, ctx, index]) => {
            const r1 = op(as, a, bs, b, t, ctx, index);
            const r2 = op(as, BigInt(a), bs, BigInt(b), t, ctx, index);
            const r3 = fixedFromExact(t, exact(BigInt(a), BigInt(b), as, bs), ctx, index);
            if (!same(r1, r2) || !same(r1, r3)) {
              throw new Error(`${as.name} ${a} ${name} ${bs.name} ${b} → ${t.name}: ${show(r1)} / ${show(r2)} / ${show(r3)}`);
            }
          },
        ),
        params(110 + i),
      );
    });
  });

  it('fixedConvert on a number raw equals it on a BigInt raw (seed 120)', function () {
    fc.assert(
      fc.property(
        fc.tuple(narrowSpec, narrowSpec).chain(([s, t]) => fc.tuple(fc.constant(s), rawArb(s), fc.constant(t), ctxArb, indexArb)),
        ([s, raw, t, ctx, index]) => {
          const a = fixedConvert(s, raw, t, ctx, index);
          const b = fixedConvert(s, BigInt(raw), t, ctx, index);
          if (!same(a, b)) throw new Error(`${s.name} ${raw} → ${t.name}: ${show(a)} / ${show(b)}`);
        },
      ),
      params(120),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('fixed point: formats wider than 53 bits are exact', function () {
  const wideOperands = fc
    .record({ width: fc.integer({ min: 53, max: 300 }), frac: fc.integer({ min: -40, max: 200 }), signed: fc.boolean() })
    .map((o) => fixedFormat(o))
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.bigInt({ min: s.minRawBig, max: s.maxRawBig }),
        fc.bigInt({ min: s.minRawBig, max: s.maxRawBig }),
      ),
    );

  function wrap(spec: FixedSpec, v: bigint): bigint {
    return spec.signed ? BigInt.asIntN(spec.width, v) : BigInt.asUintN(spec.width, v);
  }
  function inRange(spec: FixedSpec, v: bigint): boolean {
    return v >= spec.minRawBig && v <= spec.maxRawBig;
  }

  it('a + b and a - b under WRAP are the sum modulo 2^W, overflow flagged iff out of range (seed 201)', function () {
    fc.assert(
      fc.property(wideOperands, ([s, a, b]) => {
        for (const [r, v] of [
          [fixedAdd(s, a, s, b, s), a + b],
          [fixedSub(s, a, s, b, s), a - b],
        ] as const) {
          expect(r.raw).to.equal(wrap(s, v));
          expect(r.flags).to.equal(inRange(s, v) ? 0 : Flag.overflow);
        }
      }),
      params(201),
    );
  });

  it('a · b into W bits with frac fa + fb - d under TRN/WRAP is floor(a·b / 2^d) modulo 2^W (seed 202)', function () {
    fc.assert(
      fc.property(wideOperands, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 53, max: 400 }), ([s, a, b], d, w) => {
        const t = fixedFormat({ width: w, frac: 2 * s.frac - d, signed: s.signed });
        const p = a * b;
        const fl = p >> BigInt(d);
        const r = fixedMul(s, a, s, b, t);
        expect(r.raw).to.equal(wrap(t, fl));
        const inexact = fl << BigInt(d) !== p ? Flag.inexact : 0;
        expect(r.flags).to.equal(inexact | (inRange(t, fl) ? 0 : Flag.overflow));
      }),
      params(202),
    );
  });

  it('SAT at widths > 53 clamps the exact sum (seed 203)', function () {
    fc.assert(
      fc.property(wideOperands, ([s, a, b]) => {
        const t = fixedFormat({ width: s.width, frac: s.frac, signed: s.signed, overflow: 'SAT' });
        const v = a + b;
        const want = v > t.maxRawBig ? t.maxRawBig : v < t.minRawBig ? t.minRawBig : v;
        expect(fixedAdd(s, a, s, b, t).raw).to.equal(want);
      }),
      params(203),
    );
  });

  it('fixedToNumber of a wide raw is the correctly rounded binary64 value (seed 204)', function () {
    fc.assert(
      fc.property(wideOperands, fc.integer({ min: -900, max: 900 }), ([s, a], f) => {
        const t = fixedFormat({ width: s.width, frac: f, signed: s.signed });
        // Number(bigint) rounds to nearest even once; the power-of-two scaling is then exact.
        expect(Object.is(fixedToNumber(t, a), Number(a) * 2 ** -f)).to.equal(true);
      }),
      params(204),
    );
  });

  it('fixedToNumber rounds once into the subnormal range (seed 205)', function () {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 53n), max: 1n << 53n }), fc.integer({ min: 0, max: 60 }), (raw, k) => {
        const t = fixedFormat({ width: 62, frac: 1074 + k });
        // Number(raw) and the division by 2^k are exact; the multiplication by 2^-1074 rounds once.
        expect(Object.is(fixedToNumber(t, raw), (Number(raw) / 2 ** k) * 2 ** -1074)).to.equal(true);
      }),
      params(205),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('fixed point: stochastic rounding (SR)', function () {
  const sr = fixedFormat({ width: 16, frac: 8, quant: 'SR', overflow: 'SAT' });

  it('is a pure function of (seed, stream, index) and moves only inexact values, by at most one lsb (seed 301)', function () {
    fc.assert(
      fc.property(valueArb(sr), ctxArb, indexArb, (x, ctx, index) => {
        const a = fixedFromNumber(sr, x, ctx, index);
        const b = fixedFromNumber(sr, x, context({ ...ctx }), index);
        expect(same(a, b)).to.equal(true);
        const q = x * 2 ** sr.frac;
        if (Number.isFinite(q) && q >= sr.loNum && q < sr.hiNum) {
          expect(a.raw).to.be.oneOf([Math.floor(q), Math.ceil(q)]);
          expect(a.flags).to.equal(q === Math.floor(q) ? 0 : Flag.inexact);
        }
      }),
      params(301),
    );
  });

  const N = 20000;
  function meanUp(q: number, srBits: number): number {
    const ctx = context({ seed: 1234, stream: 7, srBits });
    let sum = 0;
    for (let i = 0; i < N; i++) sum += (fixedFromNumber(sr, q / 256, ctx, i).raw as number) - Math.floor(q);
    return sum / N;
  }

  for (const [f, r] of [
    [0.3, 8],
    [0.3, 4],
    [0.5, 1],
    [0.9, 16],
  ] as const) {
    it(`rounds 10+${f} lsb up with mean within 2^-r + 6σ/√N of ${f} (r = ${r}, N = ${N}, seed 1234)`, function () {
      const p = Math.ceil(f * 2 ** r) / 2 ** r; // the exact probability of moving up
      const bound = 2 ** -r + (6 * Math.sqrt(p * (1 - p))) / Math.sqrt(N);
      const m = meanUp(10 + f, r);
      expect(Math.abs(m - f)).to.be.at.most(bound);
      expect(Math.abs(m - p)).to.be.at.most((6 * Math.sqrt(p * (1 - p))) / Math.sqrt(N) + 1e-12);
    });
  }

  it(`includes the sticky bits below the r random bits: 2^-(r+2) lsb moves up with probability 2^-r (r = 4, N = ${N}, seed 1234)`, function () {
    const m = meanUp(10 + 2 ** -6, 4);
    const p = 2 ** -4;
    expect(Math.abs(m - p)).to.be.at.most((6 * Math.sqrt(p * (1 - p))) / Math.sqrt(N));
    expect(m).to.be.greaterThan(0);
  });

  it('takes the same decisions on the number and BigInt paths for values below 2^-40 lsb, negative ones included', function () {
    for (const x of [2 ** -60, -(2 ** -60), -(2 ** -45), 2 ** -1074, -(2 ** -1074)]) {
      for (let i = 0; i < 200; i++) {
        const ctx = context({ seed: 99, srBits: (i % 32) + 1 });
        expect(same(fixedFromNumber(sr, x * 256, ctx, i), fixedFromExact(sr, exactFromNumber(x * 256), ctx, i))).to.equal(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('fixed point: names', function () {
  const anySpec = specArb(1, 1024, 4096);
  it('parseFixedFormat(formatFixedName(spec)) gives back the spec, in every style that can print it (seed 401)', function () {
    fc.assert(
      fc.property(anySpec, (s) => {
        const fields = (t: FixedSpec) => [t.width, t.frac, t.signed, t.quant, t.overflow, t.satBits];
        expect(fields(parseFixedFormat(formatFixedName(s)))).to.deep.equal(fields(s));
        expect(parseFixedFormat(s.name)).to.deep.equal(s);
        for (const style of ['ap', 'ac'] as const) {
          let text: string;
          try {
            text = formatFixedName(s, style);
          } catch (e) {
            expect(e).to.be.instanceOf(RangeError);
            continue;
          }
          expect(fields(parseFixedFormat(text))).to.deep.equal(fields(s));
        }
      }),
      params(401),
    );
  });
});
