/**
 * bench/scalar: throughput of the scalar number systems, each next to a native float64 loop of the
 * same shape measured in the same run. Run with `npm run bench` (or `node dist/bench/scalar.js`).
 *
 * Targets (issue 2): encoding to any ≤ 16-bit format ≥ 0.25× the native loop; fp16 fma with flags
 * ≥ 0.13× a native `a*b+c` loop (Berkeley SoftFloat's C f16_mulAdd runs at ≈ 0.13× on this machine).
 *
 * Options: `--quick` (fewer, shorter repetitions), `--only <regexp>` (cases whose name matches),
 * `--one-process`, `--shared-baselines` (see below), `--json`.
 */
import { catalog } from '../src/formats/catalog.js';
import { context } from '../src/round/modes.js';
import { encodeArray, fmaArray, encode } from '../src/ops/float/index.js';
import { fixedFormat } from '../src/formats/fixed.js';
import { fixedQuantizeArray } from '../src/ops/fixed/index.js';
import type { FloatSpec } from '../src/formats/float.js';
import { printRows, rng, runCases, type BenchCase, type BenchRow } from './harness.js';

const N = 1 << 16;
const quick = process.argv.includes('--quick');

function inputsFor(s: FloatSpec, seed: number): Float64Array {
  // Values spread over the format's normal range (log-uniform), random signs.
  const r = rng(seed);
  const out = new Float64Array(N);
  const lo = Math.max(s.emin, -30);
  const hi = Math.min(s.emax, 30);
  for (let i = 0; i < N; i++) out[i] = (r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** Math.floor(lo + r() * (hi - lo));
  return out;
}

const f32 = new Float32Array(N);
function nativeNarrow(src: Float64Array): () => number {
  return () => {
    for (let i = 0; i < N; i++) f32[i] = src[i]!;
    return f32[N >> 1]!;
  };
}

function encodeCase(s: FloatSpec, mode: 'rne' | 'sr', seed: number): BenchCase {
  const src = inputsFor(s, seed);
  const dst = s.width <= 8 ? new Uint8Array(N) : new Uint16Array(N);
  const ctx = context({ rounding: mode, srBits: 8, seed: 1 });
  return {
    name: `encode f64 → ${s.name} ${mode}`,
    n: N,
    run: () => {
      encodeArray(s, src, dst, ctx);
      return dst[N >> 1]!;
    },
    baseline: nativeNarrow(src),
    baselineName: 'f32[i] = f64[i]',
  };
}

function fmaCase(): BenchCase {
  const s = catalog.fp16;
  const r = rng(7);
  const a = new Uint16Array(N);
  const b = new Uint16Array(N);
  const c = new Uint16Array(N);
  const fa = new Float64Array(N);
  const fb = new Float64Array(N);
  const fc = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    fa[i] = (r() - 0.5) * 8;
    fb[i] = (r() - 0.5) * 8;
    fc[i] = (r() - 0.5) * 8;
    a[i] = encode(s, fa[i]!).code as number;
    b[i] = encode(s, fb[i]!).code as number;
    c[i] = encode(s, fc[i]!).code as number;
  }
  const out = new Uint16Array(N);
  const flags = new Uint8Array(N);
  const fo = new Float64Array(N);
  const ctx = context();
  return {
    name: 'fp16 fma with flags (rne)',
    n: N,
    run: () => fmaArray(s, a, b, c, out, ctx, flags) + out[N >> 1]!,
    baseline: () => {
      for (let i = 0; i < N; i++) fo[i] = fa[i]! * fb[i]! + fc[i]!;
      return fo[N >> 1]!;
    },
    baselineName: 'f64 a*b+c',
  };
}

function fixedCase(): BenchCase {
  const s = fixedFormat({ width: 16, frac: 8, signed: true, quant: 'RND_CONV', overflow: 'SAT' });
  const r = rng(9);
  const src = new Float64Array(N);
  for (let i = 0; i < N; i++) src[i] = (r() - 0.5) * 300;
  const dst = new Int16Array(N);
  const nd = new Int16Array(N);
  const ctx = context();
  return {
    name: 'fixed s16.8 RND_CONV/SAT quantize',
    n: N,
    run: () => fixedQuantizeArray(s, src, dst, ctx) + dst[N >> 1]!,
    baseline: () => {
      for (let i = 0; i < N; i++) nd[i] = Math.min(32767, Math.max(-32768, Math.round(src[i]! * 256)));
      return nd[N >> 1]!;
    },
    baselineName: 'i16[i] = clamp(Math.round(f64[i]*256))',
  };
}

// Cases are built lazily: a process builds only the case it runs. Building all of them made the eight
// encode baselines eight closures of one function literal (`nativeNarrow`), which V8 compiles without
// specialising on the captured arrays: that native loop then ran ~6x slower than the same loop alone,
// and every encode ratio looked ~6x better than it is. `--shared-baselines` reproduces that old
// measurement (for comparison with figures taken before 2026-11-23).
const factories: (() => BenchCase)[] = [];
let seed = 100;
for (const s of [catalog.e4m3fn, catalog.e5m2, catalog.bf16, catalog.fp16]) {
  const rneSeed = seed++;
  const srSeed = seed++;
  factories.push(() => encodeCase(s, 'rne', rneSeed));
  factories.push(() => encodeCase(s, 'sr', srSeed));
}
factories.push(fmaCase);
factories.push(fixedCase);

// Each case runs in its own process (as JMH forks per benchmark), its native baseline in the same
// process, so one case's JIT feedback (another format, another array type) does not slow the next.
// `--one-process` runs every case in this process instead: a program that encodes several formats
// through the same function sees those (lower) figures, and its encode baselines are shared closures.
const shared = process.argv.includes('--shared-baselines');
const caseArg = process.argv.indexOf('--case');
const reps = quick ? 3 : 7;
const minMs = quick ? 60 : 150;
if (caseArg > 0) {
  const k = Number(process.argv[caseArg + 1]);
  const c = shared ? factories.map((f) => f())[k]! : factories[k]!();
  console.log(JSON.stringify(runCases([c], reps, minMs)[0]));
} else if (process.argv.includes('--one-process')) {
  printRows(`bench/scalar (one process): ${N} elements per call, node ${process.version}`, runCases(factories.map((f) => f()), reps, minMs));
} else {
  const { execFileSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const self = fileURLToPath(import.meta.url);
  const only = process.argv.indexOf('--only');
  const pick = only > 0 ? new RegExp(process.argv[only + 1]!) : null;
  const flags = [...(quick ? ['--quick'] : []), ...(shared ? ['--shared-baselines'] : [])];
  const rows: BenchRow[] = [];
  factories.forEach((f, i) => {
    if (pick && !pick.test(caseName(i))) return;
    const out = execFileSync(process.execPath, [self, '--case', String(i), ...flags], { encoding: 'utf8' });
    rows.push(JSON.parse(out.trim().split('\n').pop()!) as BenchRow);
  });
  printRows(`bench/scalar: ${N} elements per call, one process per case${shared ? ', shared encode baselines (the old measurement)' : ''}, node ${process.version}`, rows);
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
}

/** The name of case i without building it (for `--only`). */
function caseName(i: number): string {
  const formats = ['e4m3fn', 'e5m2', 'bf16', 'fp16'];
  if (i < 8) return `encode f64 → ${formats[i >> 1]} ${i % 2 === 0 ? 'rne' : 'sr'}`;
  return i === 8 ? 'fp16 fma with flags (rne)' : 'fixed s16.8 RND_CONV/SAT quantize';
}
