/**
 * Random formats (any ExMy up to 11 exponent and 52 fraction bits, every special encoding, overflow
 * policy, with and without subnormals), random codes biased to the corners, every operation and
 * rounding mode: the library equals the oracle bit for bit, flags included. Seeds are fixed.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { add, sub, mul, div, fma, sqrt, convert, compare, toInt, fromInt, encode } from '../../../src/ops/float/index.js';
import { ROUNDING_MODES } from '../../../src/round/modes.js';
import { catalog } from '../../../src/formats/catalog.js';
import { codeArb, floatFormatArb, valueArb } from '../../../src/testing/index.js';
import { oAdd, oSub, oMul, oDiv, oFma, oSqrt, oConvert, oCompare, oDecode, oToInt, oFromInt, oFromNumber } from '../../oracle/float.js';
import { LEVEL, contexts, toOFormat } from '../../support/bridge.js';
import type { FloatSpec } from '../../../src/formats/float.js';

const RUNS = LEVEL === 'full' ? 20000 : 1500;
const modeArb = fc.constantFrom(...ROUNDING_MODES);
const tinArb = fc.constantFrom<'before' | 'after'>('before', 'after');

function same(got: { code: number | bigint; flags: number }, want: { code: bigint; flags: number }, what: string): void {
  expect([BigInt(got.code).toString(16), got.flags], what).to.deep.equal([want.code.toString(16), want.flags]);
}

const formatWithCodes = (n: number, o?: Parameters<typeof floatFormatArb>[0]) =>
  floatFormatArb(o).chain((s) => fc.tuple(fc.constant(s), fc.array(codeArb(s), { minLength: n, maxLength: n })));

describe('random formats agree with the oracle (fast-check, seed 2026)', function () {
  it('add, sub, mul, div in every mode and tininess', function () {
    fc.assert(
      fc.property(formatWithCodes(2), modeArb, tinArb, fc.nat(1 << 20), ([s, [a, b]], mode, tin, idx) => {
        const f = toOFormat(s);
        const { ctx, octx } = contexts(mode, tin, idx);
        const A = BigInt(a!);
        const B = BigInt(b!);
        same(add(s, a!, b!, ctx, idx), oAdd(f, A, B, octx), `${s.name} add`);
        same(sub(s, a!, b!, ctx, idx), oSub(f, A, B, octx), `${s.name} sub`);
        same(mul(s, a!, b!, ctx, idx), oMul(f, A, B, octx), `${s.name} mul`);
        same(div(s, a!, b!, ctx, idx), oDiv(f, A, B, octx), `${s.name} div`);
      }),
      { seed: 2026, numRuns: RUNS },
    );
  });
  it('fma and sqrt in every mode', function () {
    fc.assert(
      fc.property(formatWithCodes(3), modeArb, tinArb, fc.nat(1 << 20), ([s, [a, b, c]], mode, tin, idx) => {
        const f = toOFormat(s);
        const { ctx, octx } = contexts(mode, tin, idx);
        same(fma(s, a!, b!, c!, ctx, idx), oFma(f, BigInt(a!), BigInt(b!), BigInt(c!), octx), `${s.name} fma`);
        same(sqrt(s, a!, ctx, idx), oSqrt(f, BigInt(a!), octx), `${s.name} sqrt`);
      }),
      { seed: 2027, numRuns: RUNS },
    );
  });
  it('conversions between random formats, and encoding JavaScript numbers', function () {
    fc.assert(
      fc.property(formatWithCodes(1), floatFormatArb(), modeArb, tinArb, fc.nat(1 << 20), ([s, [a]], t, mode, tin, idx) => {
        const { ctx, octx } = contexts(mode, tin, idx);
        same(convert(s, t, a!, ctx, idx), oConvert(toOFormat(s), toOFormat(t), BigInt(a!), octx), `${s.name} → ${t.name}`);
      }),
      { seed: 2028, numRuns: RUNS },
    );
    fc.assert(
      fc.property(floatFormatArb().chain((s) => fc.tuple(fc.constant(s), valueArb(s))), modeArb, tinArb, fc.nat(1 << 20), ([s, x], mode, tin, idx) => {
        const { ctx, octx } = contexts(mode, tin, idx);
        same(encode(s, x, ctx, idx), oFromNumber(toOFormat(s), x, octx), `encode ${x} into ${s.name}`);
      }),
      { seed: 2029, numRuns: RUNS },
    );
  });
  it('comparisons, and conversions to and from integers', function () {
    const nonSr = fc.constantFrom(...ROUNDING_MODES.filter((m) => m !== 'sr'));
    fc.assert(
      fc.property(
        formatWithCodes(2),
        nonSr,
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        fc.boolean(),
        fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
        ([s, [a, b]], mode, width, signed, exact, v) => {
          const f = toOFormat(s);
          for (const op of ['eq', 'lt', 'le'] as const) {
            expect(compare(s, op, a!, b!), `${s.name} ${op}`).to.deep.equal(oCompare(f, op, BigInt(a!), BigInt(b!)));
          }
          // unordered is quiet like eq: true iff an operand is a NaN, invalid only for a signalling NaN.
          const eq = oCompare(f, 'eq', BigInt(a!), BigInt(b!));
          const nan = oDecode(f, BigInt(a!)) === 'nan' || oDecode(f, BigInt(b!)) === 'nan';
          expect(compare(s, 'unordered', a!, b!), `${s.name} unordered`).to.deep.equal({ value: nan, flags: eq.flags });
          const { ctx, octx } = contexts(mode, 'after', 0);
          same(toInt(s, a!, { width, signed, exact }, ctx), oToInt(f, BigInt(a!), width, signed, mode, exact), `${s.name} to i${width}`);
          same(fromInt(s, v, ctx), oFromInt(f, v, octx), `${v} into ${s.name}`);
        },
      ),
      { seed: 2030, numRuns: RUNS },
    );
  });
  it('the wide catalog formats fp64 and fp32 on the general and fast paths', function () {
    const wide: FloatSpec[] = [catalog.fp64, catalog.fp32, catalog.tf32, catalog.ibm_fp16_169];
    fc.assert(
      fc.property(fc.constantFrom(...wide).chain((s) => fc.tuple(fc.constant(s), fc.array(codeArb(s), { minLength: 3, maxLength: 3 }))), modeArb, fc.nat(1000), ([s, [a, b, c]], mode, idx) => {
        const f = toOFormat(s);
        const { ctx, octx } = contexts(mode, 'after', idx);
        same(fma(s, a!, b!, c!, ctx, idx), oFma(f, BigInt(a!), BigInt(b!), BigInt(c!), octx), `${s.name} fma`);
        same(div(s, a!, b!, ctx, idx), oDiv(f, BigInt(a!), BigInt(b!), octx), `${s.name} div`);
        same(sqrt(s, c!, ctx, idx), oSqrt(f, BigInt(c!), octx), `${s.name} sqrt`);
      }),
      { seed: 2031, numRuns: RUNS },
    );
  });
});
