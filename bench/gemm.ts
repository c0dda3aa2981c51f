/**
 * bench/gemm: emulated MACs per second of matmul and conv2d through MAC units, next to a plain
 * JavaScript float64 GEMM / convolution of the same shape and loop order, measured in the same run
 * (interleaved, median of the repetitions; the ratio is the median of the per-repetition ratios).
 * `node dist/bench/gemm.js [--size N] [--reps R]` (default 256³ GEMMs, the size; 5 repetitions), plus a
 * LeNet-sized convolution (conv2 of LeNet-5 on a batch: N=32, C=6, 12×12 input, 16 filters 5×5).
 *
 * Units (issue 3): e4m3fn × e4m3fn → fp32; e5m2 × e5m2 with (1,6,9) chunk-64 accumulation (Wang 2018);
 * bf16 × bf16 → fp32 (the `bf16-fp32` paper preset: the x86 `x86-vdpbf16ps` preset models one 32-bit
 * lane with K fixed at 2, so it cannot run a K = 256 GEMM); int8 × int8 → int32 wrapping (the
 * `int8-int32-wrap` preset on fixed s8.0 tensors, which hold the same integers); fp16 × fp16
 * with an fp16 accumulator. Every unit here runs on a fast path (`src/accum/fast-plan.ts`); the
 * column "fast" says how many output elements finished there (the rest went to the general engine).
 */
import { catalog } from '../src/formats/catalog.js';
import { macByName } from '../src/accum/presets/index.js';
import { fromNumbers, tensor, matmul, conv2d, type Tensor } from '../src/tensor/index.js';
import { fixedFormat } from '../src/formats/fixed.js';
import type { FloatSpec } from '../src/formats/float.js';
import type { DotUnit } from '../src/accum/types.js';
import { GIVE_UP, type FastPlan } from '../src/accum/fast-plan.js';
import { rng } from './harness.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const S = arg('--size', 256);
const REPS = arg('--reps', 5);

function timeOnce(f: () => unknown): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}
function rngFill(seed: number) {
  const r = rng(seed);
  return () => r() * 2 - 1;
}

/** The native float64 GEMM: out[m, n] = Σ_k A[m, k]·B[k, n], loops m, n, k (the emulated order). */
function nativeGemm(M: number, K: number, N: number): () => number {
  const A = new Float64Array(M * K).map(rngFill(1));
  const B = new Float64Array(K * N).map(rngFill(2));
  const C = new Float64Array(M * N);
  return () => {
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += A[m * K + k]! * B[k * N + n]!;
        C[m * N + n] = acc;
      }
    return C[0]!;
  };
}

/** The native float64 convolution of the same shape (no padding), loops n, o, y, x, then c, ky, kx. */
function nativeConv(N: number, C: number, H: number, O: number, KS: number): () => number {
  const HO = H - KS + 1;
  const X = new Float64Array(N * C * H * H).map(rngFill(4));
  const W = new Float64Array(O * C * KS * KS).map(rngFill(5));
  const Y = new Float64Array(N * O * HO * HO);
  return () => {
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++)
        for (let y = 0; y < HO; y++)
          for (let x = 0; x < HO; x++) {
            let acc = 0;
            for (let c = 0; c < C; c++)
              for (let ky = 0; ky < KS; ky++)
                for (let kx = 0; kx < KS; kx++) acc += X[((n * C + c) * H + y + ky) * H + x + kx]! * W[((o * C + c) * KS + ky) * KS + kx]!;
            Y[((n * O + o) * HO + y) * HO + x] = acc;
          }
    return Y[0]!;
  };
}

type Operands = (shapeA: number[], shapeB: number[]) => [Tensor, Tensor];

function floatOps(s: FloatSpec): Operands {
  return (shA, shB) => {
    const r = rng(7);
    const make = (sh: number[]) => fromNumbers(s, sh, Array.from({ length: sh.reduce((p, d) => p * d, 1) }, () => r() * 2 - 1)).tensor;
    return [make(shA), make(shB)];
  };
}
const s8 = fixedFormat({ width: 8, frac: 0 });
const int8Ops: Operands = (shA, shB) => {
  const r = rng(3);
  const make = (sh: number[]) => tensor(s8, sh, Array.from({ length: sh.reduce((p, d) => p * d, 1) }, () => Math.floor(r() * 256) - 128));
  return [make(shA), make(shB)];
};

const cases: [string, string, Operands][] = [
  ['e4m3fn × e4m3fn → fp32', 'ab=e4m3fn,acc=fp32', floatOps(catalog.e4m3fn)],
  ['e5m2 × e5m2, (1,6,9) chunk-64', 'wang2018-fp8-chunk64', floatOps(catalog.e5m2)],
  ['bf16 × bf16 → fp32', 'bf16-fp32', floatOps(catalog.bf16)],
  ['int8 × int8 → int32 wrapping', 'int8-int32-wrap', int8Ops],
  ['fp16 × fp16, fp16 accumulator', 'ab=fp16,acc=fp16', floatOps(catalog.fp16)],
];

/** Counts the output elements the unit's fast plan finishes (a wrapper on plan.dot). */
const counters = new WeakMap<object, { fast: number; total: number }>();
function countFast(unit: DotUnit): { fast: number; total: number } {
  const plan = (unit as { plan?: FastPlan | null }).plan;
  const old = plan && counters.get(plan);
  if (old) {
    old.fast = 0;
    old.total = 0;
    return old;
  }
  const c = { fast: 0, total: 0 };
  if (plan) {
    counters.set(plan, c);
    const dot = plan.dot.bind(plan);
    const dot2 = plan.dot2.bind(plan);
    (plan as { dot: FastPlan['dot'] }).dot = (...args) => {
      const r = dot(...args);
      c.total++;
      if (r !== GIVE_UP) c.fast++;
      return r;
    };
    (plan as { dot2: FastPlan['dot2'] }).dot2 = (...args) => {
      dot2(...args);
      c.total += 2;
      if (plan.codes[0] !== GIVE_UP) c.fast++;
      if (plan.codes[1] !== GIVE_UP) c.fast++;
    };
  }
  return c;
}

/** Runs emulated and native interleaved, `REPS` times after a warm-up; medians and the median ratio. */
function measure(emu: () => unknown, nat: () => number, macs: number): { emu: number; nat: number; ratio: number } {
  // Warm-up: long enough for V8 to optimise both (and to settle after the previous case's code).
  for (const f of [emu, nat]) {
    const t0 = process.hrtime.bigint();
    while (Number(process.hrtime.bigint() - t0) < 400e6) f();
  }
  const te: number[] = [];
  const tn: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const a = timeOnce(emu);
    // The native run is short: time the median of three.
    const b = median([timeOnce(nat), timeOnce(nat), timeOnce(nat)]);
    te.push(a);
    tn.push(b);
    ratios.push(b / a);
  }
  return { emu: macs / median(te), nat: macs / median(tn), ratio: median(ratios) };
}

function row(label: string, r: { emu: number; nat: number; ratio: number }, fast: { fast: number; total: number }): void {
  const share = fast.total === 0 ? 'general engine' : `${((100 * fast.fast) / fast.total).toFixed(1)}% fast`;
  console.log(
    `  ${label.padEnd(42)} ${(r.emu / 1e6).toFixed(2).padStart(8)} M MAC/s   native ${(r.nat / 1e6).toFixed(0).padStart(5)} M MAC/s   ratio ${r.ratio.toFixed(3)}   (${share})`,
  );
}

const CN = 32;
const CC = 6;
const CH = 12;
const CO = 16;
const CK = 5;
const convMacs = CN * CO * (CH - CK + 1) ** 2 * CC * CK * CK;
console.log(`bench/gemm: ${S}×${S}×${S} matmul (${S ** 3} MACs) and a LeNet conv2 (N=${CN}, C=${CC}, ${CH}×${CH}, O=${CO}, ${CK}×${CK}: ${convMacs} MACs) per case;`);
console.log(`median of ${REPS} interleaved repetitions; native = float64 loops of the same shape and loop order, same run`);
const gemmNative = nativeGemm(S, S, S);
const convNative = nativeConv(CN, CC, CH, CO, CK);
for (const [label, mac, ops] of cases) {
  // The share of output elements finished on the fast path, counted on a separate (untimed) unit.
  const counting = macByName(mac);
  const [A, B] = ops([S, S], [S, S]);
  const [X, W] = ops([CN, CC, CH, CH], [CO, CC, CK, CK]);
  let fast = countFast(counting);
  matmul(counting, A, B);
  const unit = macByName(mac);
  row(`matmul ${label}`, measure(() => matmul(unit, A, B), gemmNative, S ** 3), fast);
  fast = countFast(counting);
  conv2d(counting, X, W);
  row(`conv2d ${label}`, measure(() => conv2d(unit, X, W), convNative, convMacs), fast);
}
