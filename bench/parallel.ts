/**
 * `npm run bench:parallel`: worker-thread speed-up. For each unit, an S×S×S matmul (default S = 256,
 * `--size S`) and the LeNet conv2 of bench/gemm (N=32, C=6, 12×12, 16 filters 5×5) through
 * `MatmulPool` with 1 thread, with 2 threads (the default: 4 blocks per thread, each to the next free
 * worker) and with 2 threads and one equal block each (`blocksPerThread: 1`): 10 warm-up calls each,
 * then 21 interleaved rounds; prints the median times, the median of the 21 per-round speed-ups over
 * 1 thread (the calls of a round ran back to back, so a slow spell of the machine hits all of them)
 * and checks that all gave the same bits.
 */
import { catalog } from '../src/formats/catalog.js';
import { presetByName } from '../src/accum/presets/index.js';
import type { MacSpec } from '../src/accum/mac-spec.js';
import { fromNumbers } from '../src/tensor/index.js';
import type { TensorSpec } from '../src/tensor/storage.js';
import { MatmulPool } from '../src/parallel/index.js';
import { rng } from './harness.js';
import type { KernelResult } from '../src/tensor/kernels.js';

const args = process.argv.slice(2);
const S = args.includes('--size') ? Number(args[args.indexOf('--size') + 1]) : 256;
const REPS = 21;
const WARM = 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const units: [string, MacSpec][] = [
  ['e4m3fn x e4m3fn -> fp32', { a: catalog.e4m3fn, b: catalog.e4m3fn, product: { kind: 'exact' }, fused: true, acc: { kind: 'float', format: catalog.fp32 }, summation: { kind: 'sequential' } }],
  ['wang2018 e5m2, (1,6,9) chunk-64', (presetByName('wang2018-fp8-chunk64') as unknown as { spec: MacSpec }).spec],
];
const p1 = new MatmulPool(1);
const p2 = new MatmulPool(2);
const p2s = new MatmulPool(2, { blocksPerThread: 1 });
console.log(`matmul ${S}x${S}x${S} and conv2d N=32 C=6 12x12 O=16 5x5 through MatmulPool, medians of ${REPS} interleaved rounds`);
console.log(`${'kernel, unit'.padEnd(44)} ${'1 thread'.padStart(10)} ${'2 threads'.padStart(10)} ${'speed-up'.padStart(9)} ${'2 blocks'.padStart(10)} ${'speed-up'.padStart(9)}  same bits`);
/** Times one kernel on both pools, interleaved, and prints its row. */
async function compare(name: string, run: (p: MatmulPool) => Promise<KernelResult>) {
  for (let i = 0; i < WARM; i++) {
    await run(p1);
    await run(p2);
    await run(p2s);
  }
  const t1: number[] = [];
  const t2: number[] = [];
  const t3: number[] = [];
  let same = true;
  const time = async (p: MatmulPool, into: number[]) => {
    const t = performance.now();
    const r = await run(p);
    into.push(performance.now() - t);
    return r;
  };
  for (let i = 0; i < REPS; i++) {
    const a = await time(p1, t1);
    const b = await time(p2, t2);
    const c = await time(p2s, t3);
    for (const x of [b, c]) same &&= a.tensor.data.every((v, j) => v === x.tensor.data[j]) && a.flags === x.flags;
  }
  const ms = (xs: number[]) => (median(xs).toFixed(1) + ' ms').padStart(10);
  const up = (xs: number[]) => (median(t1.map((x, i) => x / xs[i]!)).toFixed(2) + 'x').padStart(9);
  console.log(`${name.padEnd(44)} ${ms(t1)} ${ms(t2)} ${up(t2)} ${ms(t3)} ${up(t3)}  ${same ? 'yes' : 'NO'}`);
}
for (const [name, spec] of units) {
  const r = rng(7);
  const mk = (f: TensorSpec, shape: number[]) => fromNumbers(f, shape, Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => (r() - 0.5) * 8)).tensor;
  const A = mk(spec.a as TensorSpec, [S, S]);
  const B = mk(spec.b as TensorSpec, [S, S]);
  await compare(`matmul ${name}`, (p) => p.matmul(spec, A, B));
  const X = mk(spec.a as TensorSpec, [32, 6, 12, 12]);
  const W = mk(spec.b as TensorSpec, [16, 6, 5, 5]);
  await compare(`conv2d ${name}`, (p) => p.conv2d(spec, X, W));
}
for (const p of [p1, p2, p2s]) await p.close();
