/**
 * bench/gemm: emulated MACs per second of matmul and conv2d through MAC units, next to a plain
 * JavaScript float64 GEMM / convolution of the same shape and loop order, in the same run.
 * `node dist/bench/gemm.js [--size N]` (default 48; issue 3's 256 takes minutes on the general path).
 *
 * These kernels are the general path (one exact-value dot per output element); fast paths for common
 * units are the next step (issue 3 targets: ≥ 0.5× native for integer and fp32 accumulators, ≥ 0.3× for
 * ≤ 16-bit float accumulators with per-MAC rounding).
 */
import { catalog } from '../src/formats/catalog.js';
import { macByName } from '../src/accum/presets/index.js';
import { fromNumbers, tensor, matmul, conv2d, type Tensor } from '../src/tensor/index.js';
import { fixedFormat } from '../src/formats/fixed.js';
import type { FloatSpec } from '../src/formats/float.js';
import { rng } from './harness.js';

const argSize = process.argv.indexOf('--size');
const S = argSize > 0 ? Number(process.argv[argSize + 1]) : 48;

function timeOnce(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function nativeGemm(M: number, K: number, N: number): () => void {
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
  };
}
function rngFill(seed: number) {
  const r = rng(seed);
  return () => r() * 2 - 1;
}

function floatMats(s: FloatSpec, M: number, K: number, N: number): [Tensor, Tensor] {
  const r = rng(7);
  const A = fromNumbers(s, [M, K], Array.from({ length: M * K }, () => r() * 2 - 1)).tensor;
  const B = fromNumbers(s, [K, N], Array.from({ length: K * N }, () => r() * 2 - 1)).tensor;
  return [A, B];
}

const cases: [string, string, () => [Tensor, Tensor]][] = [
  ['e4m3fn × e4m3fn, fp32 accumulation', 'ab=e4m3fn,acc=fp32', () => floatMats(catalog.e4m3fn, S, S, S)],
  ['e5m2 × e5m2, (1,6,9) chunk-64', 'wang2018-fp8-chunk64', () => floatMats(catalog.e5m2, S, S, S)],
  ['bf16 × bf16 → fp32', 'bf16-fp32', () => floatMats(catalog.bf16, S, S, S)],
  ['fp16 with an fp16 accumulator', 'ab=fp16,acc=fp16', () => floatMats(catalog.fp16, S, S, S)],
  [
    'int8 × int8 → int32 wrapping',
    'ab=s8.0,acc=s32.0:TRN:WRAP',
    () => {
      const f = fixedFormat({ width: 8, frac: 0 });
      const r = rng(3);
      return [tensor(f, [S, S], Array.from({ length: S * S }, () => Math.floor(r() * 256) - 128)), tensor(f, [S, S], Array.from({ length: S * S }, () => Math.floor(r() * 256) - 128))];
    },
  ],
];

const native = nativeGemm(S, S, S);
console.log(`bench/gemm: ${S}×${S}×${S} matmul (${S ** 3} MACs) per case, median of 3; native = float64 GEMM, same loop order, same run`);
for (const [label, mac, make] of cases) {
  let unit;
  try {
    unit = macByName(mac);
  } catch (e) {
    console.log(`  ${label.padEnd(38)} skipped: ${(e as Error).message}`);
    continue;
  }
  const [A, B] = make();
  const te: number[] = [];
  const tn: number[] = [];
  for (let i = 0; i < 3; i++) {
    te.push(timeOnce(() => matmul(unit, A, B)));
    tn.push(median([timeOnce(native), timeOnce(native), timeOnce(native)]));
  }
  const emu = S ** 3 / median(te);
  const nat = S ** 3 / median(tn);
  console.log(`  ${label.padEnd(38)} ${(emu / 1e6).toFixed(2).padStart(8)} M MAC/s   native ${(nat / 1e6).toFixed(0).padStart(6)} M MAC/s   ratio ${(emu / nat).toFixed(4)}`);
}
// A LeNet-sized convolution: 1×6×14×14 input, 16 filters 6×5×5 (conv2 of LeNet-5).
{
  const unit = macByName('bf16-fp32');
  const r = rng(11);
  const X = fromNumbers(catalog.bf16, [1, 6, 14, 14], Array.from({ length: 6 * 14 * 14 }, () => r() * 2 - 1)).tensor;
  const W = fromNumbers(catalog.bf16, [16, 6, 5, 5], Array.from({ length: 16 * 6 * 25 }, () => r() * 2 - 1)).tensor;
  const macs = 16 * 10 * 10 * 150;
  const te = median([0, 1, 2].map(() => timeOnce(() => conv2d(unit, X, W))));
  const Xf = new Float64Array(6 * 14 * 14).map(rngFill(4));
  const Wf = new Float64Array(16 * 150).map(rngFill(5));
  const Of = new Float64Array(16 * 100);
  const nat = () => {
    for (let o = 0; o < 16; o++)
      for (let y = 0; y < 10; y++)
        for (let x = 0; x < 10; x++) {
          let acc = 0;
          for (let c = 0; c < 6; c++) for (let ky = 0; ky < 5; ky++) for (let kx = 0; kx < 5; kx++) acc += Xf[c * 196 + (y + ky) * 14 + x + kx]! * Wf[o * 150 + c * 25 + ky * 5 + kx]!;
          Of[o * 100 + y * 10 + x] = acc;
        }
  };
  for (let i = 0; i < 20; i++) nat();
  const tn = median(Array.from({ length: 9 }, () => timeOnce(nat)));
  console.log(`  ${'LeNet conv2 (bf16 → fp32), 240,000 MACs'.padEnd(38)} ${(macs / te / 1e6).toFixed(2).padStart(8)} M MAC/s   native ${(macs / tn / 1e6).toFixed(0).padStart(6)} M MAC/s   ratio ${(tn / te).toFixed(4)}`);
}
