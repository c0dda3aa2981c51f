/**
 * Fixed point against the independent oracle (test/oracle/fixed.ts): random formats (width 1..140,
 * fraction bits from -12 to 150, signed and unsigned, every quantisation mode including stochastic,
 * every overflow mode, saturation bits up to the width), random exact sources; quantisation, and
 * add/sub/mul then assignment. Raw patterns and flags bit for bit. Seeds fixed.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { fixedFormat, FIXED_QUANTS, FIXED_OVERFLOWS, type FixedSpec } from '../../../src/formats/fixed.js';
import { fixedFromExact, fixedAdd, fixedSub, fixedMul } from '../../../src/ops/fixed/index.js';
import { context } from '../../../src/round/modes.js';
import { srUniform } from '../../../src/round/random.js';
import type { ExactValue } from '../../../src/formats/exact.js';
import { oFixedFromRational, oFixedValue, type OFixed } from '../../oracle/fixed.js';
import { LEVEL } from '../../support/bridge.js';

const RUNS = LEVEL === 'full' ? 30000 : 3000;
const SR_BITS = 6;
const SEED = 77;

const specArb: fc.Arbitrary<FixedSpec> = fc
  .record({
    width: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 21, max: 140 })),
    frac: fc.integer({ min: -12, max: 150 }),
    signed: fc.boolean(),
    quant: fc.constantFrom(...FIXED_QUANTS),
    overflow: fc.constantFrom(...FIXED_OVERFLOWS),
    n: fc.nat(),
  })
  .map((r) => {
    const overflow = !r.signed && r.overflow === 'WRAP_SM' ? 'WRAP' : r.overflow;
    const satBits = overflow === 'WRAP' || overflow === 'WRAP_SM' ? r.n % (Math.min(r.width, 4) + 1) : 0;
    return fixedFormat({ width: r.width, frac: r.frac, signed: r.signed, quant: r.quant, overflow, satBits });
  });

function oSpec(s: FixedSpec): OFixed {
  return { width: s.width, frac: s.frac, signed: s.signed, quant: s.quant, overflow: s.overflow, satBits: s.satBits };
}

/** The W-bit pattern of a raw value (signed raws are two's complement integers). */
function pattern(s: FixedSpec, raw: number | bigint): bigint {
  const r = BigInt(raw);
  return r < 0n ? r + (1n << BigInt(s.width)) : r;
}

const exactArb: fc.Arbitrary<ExactValue> = fc
  .tuple(fc.bigInt({ min: 1n, max: (1n << 160n) - 1n }), fc.integer({ min: -200, max: 60 }), fc.boolean())
  .map(([sig, exp, neg]) => ({ kind: 'finite', sign: neg ? 1 : 0, sig, exp }) as const);

function toRational(x: ExactValue & { kind: 'finite' }): [bigint, bigint] {
  const n = x.sign ? -x.sig : x.sig;
  return x.exp >= 0 ? [n << BigInt(x.exp), 1n] : [n, 1n << BigInt(-x.exp)];
}

describe('fixed point agrees with the oracle (fast-check, seed 4242)', function () {
  it('quantises exact values into random formats with every quantisation and overflow mode', function () {
    fc.assert(
      fc.property(specArb, exactArb, fc.nat(1 << 20), (s, x, idx) => {
        const ctx = context({ srBits: SR_BITS, seed: SEED });
        const got = fixedFromExact(s, x, ctx, idx);
        const [num, den] = toRational(x as ExactValue & { kind: 'finite' });
        const want = oFixedFromRational(oSpec(s), num, den, SR_BITS, srUniform(SEED, 0, idx, SR_BITS));
        expect([pattern(s, got.raw).toString(16), got.flags], `${s.name} <- ${num}/${den}`).to.deep.equal([want.raw.toString(16), want.flags]);
      }),
      { seed: 4242, numRuns: RUNS },
    );
  });
  it('adds, subtracts and multiplies at full precision, then assigns to a random target', function () {
    const operand = specArb.chain((s) =>
      fc.tuple(fc.constant(s), fc.bigInt({ min: 0n, max: (1n << BigInt(s.width)) - 1n })),
    );
    fc.assert(
      fc.property(operand, operand, specArb, fc.constantFrom('add', 'sub', 'mul'), fc.nat(1 << 20), ([as, ap], [bs, bp], t, op, idx) => {
        const ctx = context({ srBits: SR_BITS, seed: SEED });
        const toRaw = (s: FixedSpec, p: bigint): number | bigint => {
          const v = s.signed && p >= 1n << BigInt(s.width - 1) ? p - (1n << BigInt(s.width)) : p;
          return s.wide ? v : Number(v);
        };
        const a = toRaw(as, ap);
        const b = toRaw(bs, bp);
        const f = op === 'add' ? fixedAdd : op === 'sub' ? fixedSub : fixedMul;
        const got = f(as, a, bs, b, t, ctx, idx);
        const va = oFixedValue(oSpec(as), ap);
        const vb = oFixedValue(oSpec(bs), bp);
        const num = op === 'mul' ? va.num * vb.num : op === 'add' ? va.num * vb.den + vb.num * va.den : va.num * vb.den - vb.num * va.den;
        const den = va.den * vb.den;
        const want = oFixedFromRational(oSpec(t), num, den, SR_BITS, srUniform(SEED, 0, idx, SR_BITS));
        expect([pattern(t, got.raw).toString(16), got.flags], `${as.name} ${op} ${bs.name} -> ${t.name}`).to.deep.equal([want.raw.toString(16), want.flags]);
      }),
      { seed: 4243, numRuns: RUNS },
    );
  });
});
