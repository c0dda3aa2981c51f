/**
 * Elementwise operations: broadcasting by NumPy's rule and every element bit-identical to the scalar
 * operation, checked against a naive reference loop written here over the scalar ops (shapes
 * aligned from the right, size-1 axes read at index 0), with the flat output index as the
 * stochastic-rounding index; flags ORed; results independent of the operands' strides.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { catalog } from '../../src/formats/catalog.js';
import { decodeExact } from '../../src/ops/float/decode.js';
import { add as addS, sub as subS, mul as mulS, convert as convertS, decode, fromExact } from '../../src/ops/float/index.js';
import { fixedAdd, fixedConvert, fixedFromExact, fixedMul, fixedSub, fixedToExact } from '../../src/ops/fixed/index.js';
import { fixedFormat, parseFixedFormat, FIXED_QUANTS, FIXED_OVERFLOWS, type FixedSpec } from '../../src/formats/fixed.js';
import type { FloatSpec } from '../../src/formats/float.js';
import { Flag } from '../../src/flags.js';
import { context, ROUNDING_MODES, type Context } from '../../src/round/modes.js';
import {
  Tensor,
  add,
  convert,
  copy,
  fromNumbers,
  maximum,
  mul,
  permute,
  relu,
  slice,
  sub,
  tensor,
  toNumbers,
  transpose,
  codeArray,
  type TensorSpec,
} from '../../src/tensor/index.js';

import { allIndices, prod } from '../support/indices.js';

/** The index of an operand for an output index, by the broadcasting rule (naive). */
function operandIndex(shape: readonly number[], outIdx: readonly number[]): number[] {
  const lead = outIdx.length - shape.length;
  return shape.map((d, i) => (d === 1 ? 0 : outIdx[lead + i]!));
}

/** Output shape of two broadcast-compatible shapes (naive). */
function outShape(a: readonly number[], b: readonly number[]): number[] {
  const nd = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let j = 0; j < nd; j++) {
    const da = a[j - (nd - a.length)] ?? 1;
    const db = b[j - (nd - b.length)] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Two shapes that broadcast: a common shape with leading axes dropped and some axes set to 1. */
const shapePairArb = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }),
    fc.nat(4),
    fc.nat(4),
    fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  )
  .map(([full, dropA, dropB, ones]) => {
    const a = full.slice(Math.min(dropA, full.length)).map((d, i) => (ones[i] ? 1 : d));
    const b = full.slice(Math.min(dropB, full.length)).map((d, i) => (ones[4 + i] ? 1 : d));
    return [a, b] as const;
  });

/**
 * A tensor of the given shape holding `codes` (row-major), as a view with non-trivial strides when
 * `layout` asks: 0 contiguous, 1 a transposed copy transposed back, 2 a reversed slice of a larger
 * array, reversed back.
 */
function withLayout(spec: TensorSpec, shape: readonly number[], codes: number[], layout: number): Tensor {
  const t = tensor(spec, shape, codes);
  if (layout === 1 && shape.length >= 2) {
    const rev = shape.map((_, i) => shape.length - 1 - i);
    return transpose(copy(transpose(t)), rev);
  }
  if (layout === 2 && shape.length >= 1 && shape[0]! > 0) {
    // a big array where our rows sit reversed at odd rows: slice picks them back
    const rows = shape[0]!;
    const rest = prod(shape.slice(1));
    const bigData = codeArray(spec, (2 * rows + 1) * rest);
    const big = new Tensor(spec, bigData, [2 * rows + 1, ...shape.slice(1)]);
    for (let r = 0; r < rows; r++) for (let k = 0; k < rest; k++) bigData[(2 * (rows - 1 - r) + 1) * rest + k] = codes[r * rest + k]!;
    const v = slice(big, [{ start: 2 * rows - 1, stop: 0, step: -2 }]);
    expect(v.shape).to.deep.equal(shape);
    return v;
  }
  return t;
}

const FLOATS: FloatSpec[] = [catalog.e4m3fn, catalog.e5m2, catalog.fp16, catalog.bf16, catalog.e2m1fn, catalog.e4m3fnuz, catalog.e3m2fn, catalog.fp32];

function floatCodesArb(s: FloatSpec, n: number): fc.Arbitrary<number[]> {
  const max = 2 ** s.width - 1;
  return fc.array(fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(0, max, 2 ** (s.width - 1), 2 ** (s.width - 1) - 1)), { minLength: n, maxLength: n });
}

type FloatOp = typeof addS;

function referenceFloat(op: FloatOp, s: FloatSpec, a: Tensor, b: Tensor, ctx: Context): { codes: number[]; flags: number; shape: number[] } {
  const shape = outShape(a.shape, b.shape);
  const codes: number[] = [];
  let flags = 0;
  allIndices(shape).forEach((idx, k) => {
    const r = op(s, a.get(operandIndex(a.shape, idx)), b.get(operandIndex(b.shape, idx)), ctx, k);
    codes.push(r.code as number);
    flags |= r.flags;
  });
  return { codes, flags, shape };
}

describe('elementwise operations (seed 11)', function () {
  for (const [name, op, ref] of [
    ['add', add, addS],
    ['sub', sub, subS],
    ['mul', mul, mulS],
  ] as const) {
    it(`${name} broadcasts as NumPy and equals the scalar ${name} on every element, flags ORed`, function () {
      fc.assert(
        fc.property(
          fc.constantFrom(...FLOATS),
          shapePairArb,
          fc.constantFrom(...ROUNDING_MODES),
          fc.nat(2),
          fc.nat(2),
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          (s, [sa, sb], mode, la, lb, seed) => {
            const ca = fc.sample(floatCodesArb(s, prod(sa)), { seed, numRuns: 1 })[0]!;
            const cb = fc.sample(floatCodesArb(s, prod(sb)), { seed: seed ^ 0x55, numRuns: 1 })[0]!;
            const a = withLayout(s, sa, ca, la);
            const b = withLayout(s, sb, cb, lb);
            const ctx = context({ rounding: mode, srBits: 6, seed: seed >>> 3 });
            const got = op(a, b, { ctx });
            const want = referenceFloat(ref, s, a, b, ctx);
            expect(got.tensor.shape).to.deep.equal(want.shape);
            expect(Array.from(got.tensor.data)).to.deep.equal(want.codes);
            expect(got.flags).to.equal(want.flags);
            expect(got.tensor.spec).to.equal(s);
          },
        ),
        { seed: 11, numRuns: 250 },
      );
    });
  }

  it('fixed add, sub and mul of mixed formats equal fixedAdd, fixedSub, fixedMul into the result format', function () {
    const fixedArb = fc
      .record({
        width: fc.integer({ min: 1, max: 20 }),
        frac: fc.integer({ min: -4, max: 24 }),
        signed: fc.boolean(),
        quant: fc.constantFrom(...FIXED_QUANTS),
        overflow: fc.constantFrom(...FIXED_OVERFLOWS),
        satBits: fc.nat(3),
      })
      .map((o) =>
        fixedFormat({ ...o, signed: o.signed || o.overflow === 'WRAP_SM', satBits: Math.min(o.satBits, o.width) }),
      );
    fc.assert(
      fc.property(fixedArb, fixedArb, fixedArb, shapePairArb, fc.integer({ min: 0, max: 2 ** 31 }), fc.nat(2), (fa, fb, ft, [sa, sb], seed, which) => {
        const raws = (f: FixedSpec, n: number, sd: number): number[] =>
          fc.sample(fc.array(fc.integer({ min: f.loNum, max: f.hiNum }), { minLength: n, maxLength: n }), { seed: sd, numRuns: 1 })[0]!;
        const a = withLayout(fa, sa, raws(fa, prod(sa), seed), which);
        const b = withLayout(fb, sb, raws(fb, prod(sb), seed + 1), 0);
        const ctx = context({ srBits: 5, seed: 9 });
        const shape = outShape(sa, sb);
        for (const [op, ref] of [
          [add, fixedAdd],
          [sub, fixedSub],
          [mul, fixedMul],
        ] as const) {
          const got = op(a, b, { ctx, format: ft });
          let flags = 0;
          const want = allIndices(shape).map((idx, k) => {
            const r = ref(fa, a.get(operandIndex(sa, idx)), fb, b.get(operandIndex(sb, idx)), ft, ctx, k);
            flags |= r.flags;
            return r.raw;
          });
          expect(got.tensor.spec).to.equal(ft);
          expect(Array.from(got.tensor.data)).to.deep.equal(want);
          expect(got.flags).to.equal(flags);
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('fixed operands of one format give that format by default', function () {
    const s8 = parseFixedFormat('ap_fixed<8,4,AP_RND,AP_SAT>');
    const a = fromNumbers(s8, [2], [7, -8]).tensor;
    const r = add(a, a);
    expect(r.tensor.spec).to.equal(s8);
    expect(Array.from(r.tensor.data)).to.deep.equal([127, -128]);
    expect(r.flags).to.equal(Flag.overflow);
  });

  it('ORs the flags of all elements: overflow, inexact, underflow, invalid', function () {
    const s = catalog.fp16;
    const a = fromNumbers(s, [4], [65504, 1, 2 ** -24, Infinity]).tensor;
    const b = fromNumbers(s, [4], [65504, 2 ** -11, 0.5, 0]).tensor;
    const r = mul(a, b);
    expect(toNumbers(r.tensor)).to.deep.equal(Float64Array.of(Infinity, 2 ** -11, 0, NaN));
    expect(r.flags).to.equal(Flag.overflow | Flag.inexact | Flag.underflow | Flag.invalid);
    expect(add(a, b).flags).to.equal(Flag.overflow | Flag.inexact);
  });

  it('maximum propagates the first NaN (quieted), prefers +0 over -0, and raises invalid only for a signalling NaN', function () {
    const s = catalog.fp16;
    const a = tensor(s, [6], [0x3c00, 0x8000, 0x0000, 0x7e01, 0x7c01, 0xfc00]);
    const b = tensor(s, [6], [0x4000, 0x0000, 0x8000, 0x7c02, 0x3c00, 0x7e00]);
    const r = maximum(a, b);
    // 1 vs 2 → 2; -0 vs +0 → +0; +0 vs -0 → +0; qNaN vs sNaN → a quieted, invalid; sNaN vs 1 → a quieted; -inf vs qNaN → b
    expect(Array.from(r.tensor.data)).to.deep.equal([0x4000, 0x0000, 0x0000, 0x7e01, 0x7e01, 0x7e00]);
    expect(r.flags).to.equal(Flag.invalid);
    const q = maximum(tensor(s, [2], [0x7e00, 0xbc00]), tensor(s, [2], [0x3c00, 0x7e00]));
    expect(Array.from(q.tensor.data)).to.deep.equal([0x7e00, 0x7e00]);
    expect(q.flags).to.equal(0);
  });

  it('maximum equals the larger value (or the scalar NaN rule) on random codes of every format, with broadcasting', function () {
    fc.assert(
      fc.property(fc.constantFrom(...FLOATS), shapePairArb, fc.integer({ min: 0, max: 2 ** 31 }), (s, [sa, sb], seed) => {
        const a = tensor(s, sa, fc.sample(floatCodesArb(s, prod(sa)), { seed, numRuns: 1 })[0]!);
        const b = tensor(s, sb, fc.sample(floatCodesArb(s, prod(sb)), { seed: seed + 7, numRuns: 1 })[0]!);
        const r = maximum(a, b);
        let flags = 0;
        const want = allIndices(outShape(sa, sb)).map((idx) => {
          const x = a.get(operandIndex(sa, idx));
          const y = b.get(operandIndex(sb, idx));
          const vx = decode(s, x);
          const vy = decode(s, y);
          if (Number.isNaN(vx) || Number.isNaN(vy)) {
            const n = addS(s, x, y); // the library's NaN rule: first NaN, quieted; invalid if signalling
            flags |= n.flags;
            return n.code;
          }
          if (vx === 0 && vy === 0) return Object.is(vx, -0) ? y : x;
          return vy > vx ? y : x;
        });
        expect(Array.from(r.tensor.data)).to.deep.equal(want);
        expect(r.flags).to.equal(flags);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('relu sends negatives and -0 to +0 and keeps NaN; unsigned formats are copied', function () {
    const t = tensor(catalog.bf16, [2, 3], [0xbf80, 0x8000, 0x3f80, 0x7fc0, 0xff81, 0x0001]);
    const r = relu(t);
    expect(Array.from(r.tensor.data)).to.deep.equal([0x0000, 0x0000, 0x3f80, 0x7fc0, 0xffc1, 0x0001]);
    expect(r.flags).to.equal(Flag.invalid); // the signalling NaN 0xff81
    const f = fromNumbers(parseFixedFormat('s8.2'), [3], [-3.25, 0, 5.5]).tensor;
    expect(toNumbers(relu(transpose(f)).tensor)).to.deep.equal(Float64Array.of(0, 0, 5.5));
    const e8 = tensor(catalog.e8m0fnu, [3], [0, 127, 255]);
    expect(Array.from(relu(e8).tensor.data)).to.deep.equal([0, 127, 255]);
    const u = tensor(parseFixedFormat('u8.4'), [2], [0, 255]);
    expect(Array.from(relu(u).tensor.data)).to.deep.equal([0, 255]);
  });

  it('fixed maximum compares raw values', function () {
    const s = parseFixedFormat('s8.4');
    const a = fromNumbers(s, [3], [-1, 2, 7.5]).tensor;
    const b = fromNumbers(s, [1], [0.5]).tensor;
    expect(toNumbers(maximum(a, b).tensor)).to.deep.equal(Float64Array.of(0.5, 2, 7.5));
  });
});

describe('convert between any two formats (seed 13)', function () {
  const FIXEDS = ['s8.4:RND_CONV:SAT', 'u8.4:RND:WRAP', 's16.8:TRN:SAT_SYM', 's6.-2:RND_INF:WRAP_SM:1', 's32.20:SR:SAT', 'u20.30:RND_CONV:SAT', 's40.10:RND_ZERO:WRAP', 's12.1080:RND_CONV:SAT', 's12.-1080:TRN:SAT'].map(
    (n) => parseFixedFormat(n),
  );
  const ALL: TensorSpec[] = [...FLOATS, catalog.e8m0fnu, catalog.tf32, ...FIXEDS];

  function randomCodes(s: TensorSpec, n: number, seed: number): number[] {
    const arb = s.kind === 'float' ? floatCodesArb(s, n) : fc.array(fc.integer({ min: s.loNum, max: s.hiNum }), { minLength: n, maxLength: n });
    return fc.sample(arb, { seed, numRuns: 1 })[0]!;
  }

  /** The reference: each pair of kinds through the exact scalar path. */
  function ref(from: TensorSpec, to: TensorSpec, c: number, ctx: Context, k: number): { code: number; flags: number } {
    if (from.kind === 'float' && to.kind === 'float') {
      const r = convertS(from, to, c, ctx, k);
      return { code: r.code as number, flags: r.flags };
    }
    if (from.kind === 'float' && to.kind === 'fixed') {
      const r = fixedFromExact(to, decodeExact(from, c), ctx, k);
      return { code: r.raw as number, flags: r.flags };
    }
    if (from.kind === 'fixed' && to.kind === 'float') {
      const r = fromExact(to, fixedToExact(from, c), ctx, k);
      return { code: r.code as number, flags: r.flags };
    }
    const r = fixedConvert(from as FixedSpec, c, to as FixedSpec, ctx, k);
    return { code: r.raw as number, flags: r.flags };
  }

  it('equals the scalar conversion on every element, in every mode, whatever the layout', function () {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL),
        fc.constantFrom(...ALL),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 }),
        fc.constantFrom(...ROUNDING_MODES),
        fc.nat(2),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (from, to, shape, mode, layout, seed) => {
          const t = withLayout(from, shape, randomCodes(from, prod(shape), seed), layout);
          const ctx = context({ rounding: mode, srBits: 4, seed: 77, stream: 3 });
          const got = convert(t, to, ctx);
          let flags = 0;
          const want = allIndices(shape).map((idx, k) => {
            const r = ref(from, to, t.get(idx), ctx, k);
            flags |= r.flags;
            return r.code;
          });
          expect(got.tensor.spec).to.equal(to);
          expect(got.tensor.shape).to.deep.equal(shape);
          expect(Array.from(got.tensor.data), `${from.name} -> ${to.name}`).to.deep.equal(want);
          expect(got.flags).to.equal(flags);
        },
      ),
      { seed: 13, numRuns: 400 },
    );
  });

  it('gives stochastic results that depend on the output index only, not on the input view', function () {
    const s = catalog.fp32;
    const values = Array.from({ length: 24 }, (_, i) => 1 + i / 7);
    const base = fromNumbers(s, [2, 3, 4], values).tensor;
    const view = permute(base, [2, 0, 1]); // shape [4, 2, 3], strided
    const ctx = context({ rounding: 'sr', srBits: 12, seed: 5 });
    for (const to of [catalog.e4m3fn, catalog.bf16, parseFixedFormat('s8.4:SR:SAT')]) {
      const a = convert(view, to, ctx);
      const b = convert(copy(view), to, ctx);
      expect(Array.from(a.tensor.data)).to.deep.equal(Array.from(b.tensor.data));
      // and a different stream changes the bits (the random source is used)
      const c = convert(view, to, context({ rounding: 'sr', srBits: 12, seed: 5, stream: 1 }));
      expect(Array.from(c.tensor.data)).to.not.deep.equal(Array.from(a.tensor.data));
    }
    // elementwise ops too: the same sum for a view and its copy
    const x = transpose(fromNumbers(catalog.bf16, [3, 5], Array.from({ length: 15 }, (_, i) => i / 3)).tensor);
    const y = fromNumbers(catalog.bf16, [5, 1], [0.001, 0.002, 0.003, 0.004, 0.005]).tensor;
    const srCtx = context({ rounding: 'sr', srBits: 8, seed: 1 });
    expect(Array.from(add(x, y, { ctx: srCtx }).tensor.data)).to.deep.equal(Array.from(add(copy(x), copy(y), { ctx: srCtx }).tensor.data));
  });

  it('rounds element k of a stochastic add, sub or mul with the random bits of index k (the flat output index)', function () {
    const s = catalog.bf16;
    const x = transpose(fromNumbers(s, [6, 4], Array.from({ length: 24 }, (_, i) => 1 + i / 3)).tensor); // [4, 6], strided
    const y = fromNumbers(s, [6], [0.0011, 0.0021, 0.0031, 0.0041, 0.0051, 0.0061]).tensor;
    const ctx = context({ rounding: 'sr', srBits: 8, seed: 21 });
    for (const [op, ref] of [
      [add, addS],
      [sub, subS],
      [mul, mulS],
    ] as const) {
      const got = Array.from(op(x, y, { ctx }).tensor.data);
      const want = allIndices([4, 6]).map((idx, k) => ref(s, x.get(idx), y.get([idx[1]!]), ctx, k).code);
      expect(got).to.deep.equal(want);
      const shifted = allIndices([4, 6]).map((idx, k) => ref(s, x.get(idx), y.get([idx[1]!]), ctx, k + 1).code);
      expect(got).to.not.deep.equal(shifted);
    }
  });

  it('converts the documented examples', function () {
    const t = fromNumbers(catalog.fp16, [3], [0.1, 300, -65504]).tensor;
    const q = convert(t, catalog.e4m3fn);
    expect(toNumbers(q.tensor)).to.deep.equal(Float64Array.of(0.1015625, 288, NaN));
    expect(q.flags).to.equal(Flag.overflow | Flag.inexact);
    const f = convert(t, parseFixedFormat('s8.4:RND_CONV:SAT'));
    expect(toNumbers(f.tensor)).to.deep.equal(Float64Array.of(0.125, 7.9375, -8));
    expect(f.flags).to.equal(Flag.overflow | Flag.inexact);
  });
});
