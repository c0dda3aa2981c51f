/**
 * Random MAC specs of the shapes the fast paths cover (and a few they do not), and random operand
 * codes that reach the corners (NaN, ∞, ±0, subnormals, ±max, huge and tiny values), for the
 * fast-versus-general property tests. Nothing here decides an expected value: every test compares a
 * fast unit with `macUnit(spec, { generalOnly: true })`.
 */
import fc from 'fast-check';
import { expect } from 'chai';
import { macUnit } from '../../src/accum/mac-unit.js';
import { fastDot, GIVE_UP, type FastPlan } from '../../src/accum/fast-plan.js';
import { catalog } from '../../src/formats/catalog.js';
import { floatFormat, type FloatSpec } from '../../src/formats/float.js';
import { fixedFormat, FIXED_OVERFLOWS, FIXED_QUANTS, type FixedSpec } from '../../src/formats/fixed.js';
import { context, type Context, type RoundingMode } from '../../src/round/modes.js';
import type { AccumulatorSpec, MacSpec, ProductSpec, Summation } from '../../src/accum/mac-spec.js';
import { intFormat, type AnySpec } from '../../src/accum/types.js';
import { codeArb, floatFormatArb } from '../../src/testing/index.js';
import { encode } from '../../src/ops/float/index.js';

/** Operand floats: the catalog's narrow formats, fp16/bf16/fp32, and random small ExMy formats. */
export const FLOAT_OPERANDS: FloatSpec[] = [
  catalog.e4m3fn,
  catalog.e5m2,
  catalog.e4m3fnuz,
  catalog.e5m2fnuz,
  catalog.hfp8_fwd,
  catalog.e4m3,
  catalog.e3m4,
  catalog.e3m2fn,
  catalog.e2m3fn,
  catalog.e2m1fn,
  catalog.fp16,
  catalog.bf16,
  catalog.fp32,
  catalog.tf32,
];
export const floatOperandArb: fc.Arbitrary<FloatSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FLOAT_OPERANDS) },
  { weight: 1, arbitrary: floatFormatArb({ maxExpBits: 5, maxManBits: 5 }) },
);

/** Accumulator floats: ≤ 24 bits of precision, every special encoding, with and without subnormals. */
export const ACC_FLOATS: FloatSpec[] = [
  catalog.fp32,
  catalog.fp16,
  catalog.bf16,
  catalog.ibm_fp16_169,
  catalog.tf32,
  floatFormat({ expBits: 8, manBits: 8, name: 'e8m8' }),
  floatFormat({ expBits: 8, manBits: 12 }),
  floatFormat({ expBits: 6, manBits: 9, subnormals: false }),
  floatFormat({ expBits: 5, manBits: 10, specials: 'fnuz', bias: 16 }),
  floatFormat({ expBits: 5, manBits: 10, overflow: 'saturate' }),
  floatFormat({ expBits: 7, manBits: 2 }),
  catalog.e4m3fn,
  catalog.e5m2,
];
export const accFloatArb: fc.Arbitrary<FloatSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ACC_FLOATS) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 23 }).map((m) => floatFormat({ expBits: 8, manBits: m })) },
  { weight: 1, arbitrary: floatFormatArb({ maxExpBits: 8, maxManBits: 23 }).filter((f) => f.fast && f.precision <= 24) },
);

const MODES: RoundingMode[] = ['rne', 'rna', 'rno', 'rtz', 'rup', 'rdn', 'rod', 'sr'];
/** Rounding contexts: mostly ties-to-even and stochastic, every other mode too, both tininess rules. */
export const ctxArb: fc.Arbitrary<Context> = fc
  .record({
    rounding: fc.oneof({ weight: 4, arbitrary: fc.constantFrom<RoundingMode>('rne', 'sr') }, { weight: 2, arbitrary: fc.constantFrom(...MODES) }),
    tininess: fc.constantFrom<'before' | 'after'>('before', 'after'),
    srBits: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 32 })),
    seed: fc.nat(),
    stream: fc.nat(3),
  })
  .map((o) => context(o));

/** A fixed format of at most `maxWidth` bits, with any quantisation and overflow mode. */
export function fixedArb(minWidth: number, maxWidth: number, fracLo: number, fracHi: number): fc.Arbitrary<FixedSpec> {
  return fc
    .record({
      width: fc.integer({ min: minWidth, max: maxWidth }),
      frac: fc.integer({ min: fracLo, max: fracHi }),
      signed: fc.boolean(),
      quant: fc.constantFrom(...FIXED_QUANTS),
      overflow: fc.constantFrom(...FIXED_OVERFLOWS),
      satBits: fc.nat(3),
    })
    .map((o) => {
      const overflow = !o.signed && o.overflow === 'WRAP_SM' ? 'WRAP' : o.overflow;
      return fixedFormat({ ...o, overflow, satBits: Math.min(o.satBits, o.width) });
    });
}

/** Codes of values of moderate magnitude (|x| ≤ 8, some tiny), the common case of real data. */
export function moderateCodeArb(f: AnySpec): fc.Arbitrary<number> {
  if (f.kind !== 'float') return anyCodeArb(f);
  return fc
    .tuple(fc.double({ min: -8, max: 8, noNaN: true }), fc.integer({ min: 0, max: 12 }))
    .map(([x, shift]) => Number(encode(f, shift > 9 ? x * 2 ** (-4 * shift) : x).code));
}

/** Codes of any operand format, biased toward the corners. */
export function anyCodeArb(f: AnySpec): fc.Arbitrary<number> {
  if (f.kind === 'float') return codeArb(f).map(Number);
  const max = 2 ** f.width - 1;
  const half = 2 ** (f.width - 1);
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max }) },
    { weight: 1, arbitrary: fc.constantFrom(...new Set([0, 1, max, half, half - 1, Math.min(half + 1, max)])) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: Math.min(7, max) }).map((x) => (f.signed ? (max + 1 - x) % (max + 1) : x)) },
  );
}

/** A random MAC spec with a float accumulator (the float fast path's shapes, and some it rejects). */
export const floatSpecArb: fc.Arbitrary<MacSpec> = fc
  .record({
    a: fc.oneof({ weight: 5, arbitrary: floatOperandArb }, { weight: 1, arbitrary: fixedArb(2, 16, -4, 12) }),
    b: floatOperandArb,
    acc: accFloatArb,
    accCtx: ctxArb,
    fused: fc.boolean(),
    product: fc.oneof(
      { weight: 3, arbitrary: fc.constant<ProductSpec>({ kind: 'exact' }) },
      { weight: 1, arbitrary: fc.record({ format: fc.oneof(floatOperandArb, accFloatArb), ctx: ctxArb }).map((p) => ({ kind: 'round', ...p }) as ProductSpec) },
    ),
    summation: fc.oneof(
      { weight: 2, arbitrary: fc.constant<Summation>({ kind: 'sequential' }) },
      {
        weight: 2,
        arbitrary: fc
          .record({ chunk: fc.integer({ min: 1, max: 9 }), format: accFloatArb, ctx: ctxArb, same: fc.boolean() })
          .map((r) => ({ kind: 'chunked', chunk: r.chunk, inner: { kind: 'float', format: r.format, ctx: r.ctx } }) as Summation),
      },
      { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }).map((fanIn) => ({ kind: 'tree', fanIn }) as Summation) },
    ),
    output: fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.record({ format: fc.oneof(floatOperandArb, accFloatArb), ctx: ctxArb }) },
      { weight: 1, arbitrary: fc.record({ format: fixedArb(2, 24, -4, 20), ctx: ctxArb }) },
    ),
  })
  .map((r) => {
    const acc: AccumulatorSpec = { kind: 'float', format: r.acc, ctx: r.accCtx };
    return { a: r.a, b: r.b, product: r.product, fused: r.fused, acc, summation: r.summation, ...(r.output ? { output: r.output } : {}) } as MacSpec;
  });

const intOperandArb: fc.Arbitrary<AnySpec> = fc.oneof(
  fc.constantFrom<AnySpec>(intFormat(8, true), intFormat(8, false), intFormat(4, true), intFormat(16, true), intFormat(12, false)),
  fixedArb(2, 16, -3, 12),
);

/** A random MAC spec with an integer, fixed-point or exact accumulator. */
export const intSpecArb: fc.Arbitrary<MacSpec> = fc
  .record({
    a: fc.oneof({ weight: 4, arbitrary: intOperandArb }, { weight: 1, arbitrary: fc.constantFrom<AnySpec>(catalog.e4m3fn, catalog.e2m1fn, catalog.e3m2fn, catalog.e5m2) }),
    b: intOperandArb,
    acc: fc.oneof(
      fc.record({ w: fc.integer({ min: 8, max: 40 }), signed: fc.boolean(), sat: fc.boolean() }).map(
        (r) => ({ kind: 'int', format: intFormat(r.w, r.signed), overflow: r.sat ? 'saturate' : 'wrap' }) as AccumulatorSpec,
      ),
      fc.record({ f: fixedArb(6, 40, -2, 30), ctx: ctxArb }).map((r) => ({ kind: 'fixed', format: r.f, ctx: r.ctx }) as AccumulatorSpec),
      fc.constant<AccumulatorSpec>({ kind: 'exact' }),
    ),
    chunk: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined, freq: 2 }),
    innerKind: fc.constantFrom('same', 'exact', 'fixed'),
    innerFixed: fixedArb(6, 40, -2, 30),
    output: fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.record({ format: fixedArb(2, 24, -4, 24), ctx: ctxArb }) },
      { weight: 1, arbitrary: fc.record({ format: fc.oneof(floatOperandArb, accFloatArb), ctx: ctxArb }) },
    ),
  })
  .map((r) => {
    let summation: Summation = { kind: 'sequential' };
    if (r.chunk !== undefined) {
      const inner: AccumulatorSpec = r.innerKind === 'same' ? r.acc : r.innerKind === 'exact' ? { kind: 'exact' } : { kind: 'fixed', format: r.innerFixed };
      summation = { kind: 'chunked', chunk: r.chunk, inner };
    }
    let output = r.output;
    if (r.acc.kind === 'exact' && !output) output = { format: fixedFormat({ width: 16, frac: 8, quant: 'RND_CONV', overflow: 'SAT' }), ctx: context() };
    return { a: r.a, b: r.b, product: { kind: 'exact' }, fused: true, acc: r.acc, summation, ...(output ? { output } : {}) } as MacSpec;
  });

/** The format the addend c is given in. */
export function cFormatOf(s: MacSpec): AnySpec {
  return s.acc.kind === 'exact' ? s.output!.format : s.acc.format;
}

/** Codes for c: any code, or a small value (likely on the exact accumulator's grid). */
export function cCodeArb(s: MacSpec): fc.Arbitrary<number> {
  const f = cFormatOf(s);
  if (f.kind !== 'float') return anyCodeArb(f);
  return fc.oneof(anyCodeArb(f), fc.constant(0));
}

/** A describable summary of a spec for failure messages. */
export function describeSpec(s: MacSpec): string {
  const ctx = (c?: Context) => (c ? `${c.rounding}${c.rounding === 'sr' ? c.srBits : ''}/${c.tininess}` : 'default');
  const acc = (a: AccumulatorSpec) => (a.kind === 'exact' ? 'exact' : a.kind === 'int' ? `${a.format.name}:${a.overflow}` : `${a.format.name}:${ctx(a.ctx)}`);
  const sum = s.summation.kind === 'chunked' ? `chunk${s.summation.chunk}[${acc(s.summation.inner)}]` : s.summation.kind;
  const prod = s.product.kind === 'exact' ? 'exact' : `${s.product.format.name}:${ctx(s.product.ctx)}`;
  const out = s.output ? `${s.output.format.name}:${ctx(s.output.ctx)}` : '-';
  return `a=${s.a.name} b=${s.b.name} prod=${prod} ${s.fused ? 'fused' : 'separate'} acc=${acc(s.acc)} sum=${sum} out=${out}`;
}


/** What one comparison saw: whether the fast path finished the dot product itself, and its result. */
export interface Compared {
  plan: FastPlan | null;
  fast: boolean;
  flags: number;
  stats: { macs: number; overflows: number; saturations: number; inexact: number; swamped: number };
}

/**
 * Runs one dot product through the fast unit and the general engine and expects identical codes,
 * flags and statistics (or the same error).
 */
export function compareDot(spec: MacSpec, a: number[], b: number[], c: number, index: number): Compared {
  const fast = macUnit(spec);
  const general = macUnit(spec, { generalOnly: true });
  let want: ReturnType<typeof general.dot> | undefined;
  let err: unknown;
  try {
    want = general.dot(a, b, c, index);
  } catch (e) {
    err = e;
  }
  if (want === undefined) {
    expect(() => fast.dot(a, b, c, index), describeSpec(spec)).to.throw((err as Error).constructor as never);
    return { plan: fast.plan, fast: false, flags: 0, stats: { macs: 0, overflows: 0, saturations: 0, inexact: 0, swamped: 0 } };
  }
  const got = fast.dot(a, b, c, index);
  const finished = fast.plan !== null && fastDot(fast.plan, a, b, c, index) !== undefined;
  expect({ code: Number(got.code), flags: got.flags, stats: got.stats }, `${describeSpec(spec)} a=[${a}] b=[${b}] c=${c} index=${index}`).to.deep.equal({
    code: Number(want.code),
    flags: want.flags,
    stats: want.stats,
  });
  return { plan: fast.plan, fast: finished, flags: want.flags, stats: want.stats };
}

/**
 * Runs two dot products sharing the operand a through `plan.dot2` (the two-lane hot loops of the
 * kernels) and expects each lane to equal the general engine's dot product, or to be handed back.
 * Returns how many lanes the fast path finished.
 */
export function compareDot2(spec: MacSpec, a: number[], b0: number[], b1: number[], c0: number, c1: number, index: number): number {
  const plan = macUnit(spec).plan;
  if (!plan) return 0;
  const general = macUnit(spec, { generalOnly: true });
  const K = a.length;
  const A = Float64Array.from(a, (x) => plan.valueA(x));
  const B = new Float64Array(2 * K + 3);
  b0.forEach((x, k) => (B[1 + k] = plan.valueB(x)));
  b1.forEach((x, k) => (B[2 + K + k] = plan.valueB(x)));
  // Any lane with a NaN operand value is the general engine's business (the kernels never get here
  // with one only because plan.dot gives up on it; dot2 must as well).
  plan.dot2(A, 0, B, 1, 2 + K, K, c0, c1, index, index + 1);
  const codes = [plan.codes[0]!, plan.codes[1]!];
  const res = [plan.res, plan.res1];
  let finished = 0;
  for (const [lane, b] of [b0, b1].entries()) {
    if (codes[lane] === GIVE_UP) continue;
    finished++;
    const want = general.dot(a, b, lane === 0 ? c0 : c1, index + lane);
    const r = res[lane]!;
    expect(
      { code: codes[lane], flags: r.flags, stats: { macs: K, overflows: r.overflows, saturations: r.saturations, inexact: r.inexact, swamped: r.swamped } },
      `lane ${lane}: ${describeSpec(spec)} a=[${a}] b=[${b}] c=${lane === 0 ? c0 : c1} index=${index + lane}`,
    ).to.deep.equal({ code: Number(want.code), flags: want.flags, stats: want.stats });
  }
  return finished;
}
