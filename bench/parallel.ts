/**
 * `npm run bench:parallel`: worker-thread speed-up. For each unit, an S×S×S matmul (default S = 256,
 * `--size S`) and the LeNet conv2 of bench/gemm (N=32, C=6, 12×12, 16 filters 5×5) through
 * `MatmulPool` with 1 thread and with 2 threads: 10 warm-up calls each, then 21 interleaved pairs;
 * prints the median times, the median of the 21 pairwise speed-ups (each pair ran back to back, so a
 * slow spell of the machine hits both) and checks that both gave the same bits.
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
console.log(`matmul ${S}x${S}x${S} and conv2d N=32 C=6 12x12 O=16 5x5 through MatmulPool, medians of ${REPS} interleaved pairs`);
console.log(`${'kernel, unit'.padEnd(44)} ${'1 thread'.padStart(10)} ${'2 threads'.padStart(10)} ${'speed-up'.padStart(9)}  same bits`);
/** Times one kernel on both pools, interleaved, and prints its row. */
async function compare(name: string, run: (p: MatmulPool) => Promise<KernelResult>) {
  for (let i = 0; i < WARM; i++) {
    await run(p1);
    await run(p2);
  }
  const t1: number[] = [];
  const t2: number[] = [];
  let same = true;
  for (let i = 0; i < REPS; i++) {
    let t = performance.now();
    const a = await run(p1);
    t1.push(performance.now() - t);
    t = performance.now();
    const b = await run(p2);
    t2.push(performance.now() - t);
    same &&= a.tensor.data.every((v, j) => v === b.tensor.data[j]) && a.flags === b.flags;
  }
  const [m1, m2] = [median(t1), median(t2)];
  const up = median(t1.map((x, i) => x / t2[i]!));
  console.log(`${name.padEnd(44)} ${(m1.toFixed(1) + ' ms').padStart(10)} ${(m2.toFixed(1) + ' ms').padStart(10)} ${up.toFixed(2).padStart(8)}x  ${same ? 'yes' : 'NO'}`);
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
await p1.close();
await p2.close();
