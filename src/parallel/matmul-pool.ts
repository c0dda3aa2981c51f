/**
 * Matrix products split across worker threads (Node only: this entry point, `bitexact/parallel`,
 * uses `node:worker_threads`; the library core does not). The partition is deterministic and the
 * bits do not depend on it: the M rows of the output are cut into one contiguous block per worker,
 * each block runs `matmul` on its rows with `indexBase` = its first output element's index, so every
 * output element sees the same operands, the same MAC order and the same stochastic index as in a
 * single-threaded `matmul`; flags are OR-ed and statistics summed. Identical results for any number
 * of threads (tested for 1, 2 and 3).
 */
import { Worker } from 'node:worker_threads';
import type { MacSpec } from '../accum/mac-spec.js';
import { macUnit } from '../accum/mac-unit.js';
import { addStats, emptyStats } from '../accum/types.js';
import { contiguous } from '../tensor/contiguous.js';
import { matmul, type KernelResult } from '../tensor/kernels.js';
import { codeArray, type TensorSpec } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';

interface Job {
  readonly id: number;
  readonly spec: MacSpec;
  readonly A: { data: ArrayLike<number>; shape: number[] };
  readonly B: { data: ArrayLike<number>; shape: number[] };
  readonly c?: { data: ArrayLike<number>; shape: number[] };
  readonly indexBase: number;
  readonly transposeB: boolean;
}

/** A pool of worker threads that run matmul blocks. Create once, reuse, `close()` at the end. */
export class MatmulPool {
  private readonly workers: Worker[] = [];
  private next = 0;
  private readonly pending = new Map<number, (r: { data: ArrayLike<number>; flags: number; stats: KernelResult['stats'] } | { error: string }) => void>();

  /** `threads` workers (integer 1..64). */
  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError(`threads: must be an integer in 1..64, got ${threads}`);
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./matmul-worker.js', import.meta.url));
      w.on('message', (m: { id: number }) => {
        const f = this.pending.get(m.id);
        this.pending.delete(m.id);
        f?.(m as never);
      });
      // A worker that dies fails every pending block (never a silent hang).
      w.on('error', (e) => {
        for (const f of this.pending.values()) f({ error: `worker thread failed: ${e.message}` });
        this.pending.clear();
      });
      w.unref();
      this.workers.push(w);
    }
  }

  private run(w: Worker, job: Omit<Job, 'id'>) {
    const id = this.next++;
    return new Promise<{ data: ArrayLike<number>; flags: number; stats: KernelResult['stats'] }>((res, rej) => {
      this.pending.set(id, (r) => {
        if (this.pending.size === 0) w.unref();
        if ('error' in r) rej(new Error(r.error));
        else res(r);
      });
      w.ref(); // keep the process alive while a block is out
      // The blocks are fresh copies: move their buffers instead of copying them again.
      const moved = [job.A.data, job.B.data, job.c?.data].filter((d): d is ArrayBufferView & ArrayLike<number> => ArrayBuffer.isView(d)).map((d) => d.buffer as ArrayBuffer);
      w.postMessage({ ...job, id }, moved);
    });
  }

  /**
   * out = A·B (+ c) through the unit of `spec`, A [M, K], B [K, N] (or [N, K] with `transposeB`),
   * c broadcastable to [M, N] (shape [N], [1, N] or [M, N]); the same bits, flags and statistics as
   * `matmul(macUnit(spec), A, B, ...)`.
   */
  async matmul(spec: MacSpec, A: Tensor, B: Tensor, opts: { transposeB?: boolean; c?: Tensor } = {}): Promise<KernelResult> {
    const unit = macUnit(spec);
    if (A.ndim !== 2 || B.ndim !== 2) throw new RangeError(`MatmulPool.matmul: A and B must be 2-D, got [${A.shape}] and [${B.shape}]`);
    const [M, K] = A.shape as [number, number];
    const N = opts.transposeB ? B.shape[0]! : B.shape[1]!;
    const Ac = contiguous(A);
    const Bc = contiguous(B);
    const per = Math.ceil(M / this.threads);
    const parts: Promise<{ data: ArrayLike<number>; flags: number; stats: KernelResult['stats'] }>[] = [];
    const rows: [number, number][] = [];
    let cFull: Tensor | undefined;
    if (opts.c) {
      const c = contiguous(opts.c);
      if (!(c.ndim === 1 && c.shape[0] === N) && !(c.ndim === 2 && (c.shape[0] === 1 || c.shape[0] === M) && c.shape[1] === N)) {
        throw new RangeError(`MatmulPool.matmul: c must have shape [${N}], [1, ${N}] or [${M}, ${N}], got [${c.shape}]`);
      }
      cFull = c;
    }
    for (let t = 0; t < this.threads; t++) {
      const r0 = t * per;
      const r1 = Math.min(M, r0 + per);
      if (r0 >= r1) break;
      rows.push([r0, r1]);
      const Ablock = { data: Ac.data.slice(Ac.offset + r0 * K, Ac.offset + r1 * K), shape: [r1 - r0, K] };
      let cb: Job['c'];
      if (cFull) cb = cFull.ndim === 2 && cFull.shape[0] === M && M > 1 ? { data: cFull.data.slice(r0 * N, r1 * N), shape: [r1 - r0, N] } : { data: cFull.data.slice(), shape: [...cFull.shape] };
      parts.push(this.run(this.workers[t]!, { spec, A: Ablock, B: { data: Bc.data.slice(Bc.offset, Bc.offset + Bc.size), shape: [...Bc.shape] }, c: cb, indexBase: r0 * N, transposeB: !!opts.transposeB }));
    }
    const results = await Promise.all(parts);
    const fo = unit.out as TensorSpec;
    const out = new Tensor(fo, codeArray(fo, M * N), [M, N]);
    const stats = emptyStats();
    let flags = 0;
    results.forEach((r, i) => {
      out.data.set(r.data as never, rows[i]![0] * N);
      flags |= r.flags;
      addStats(stats, r.stats);
    });
    return { tensor: out, flags, stats };
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The work of one block, as the worker runs it (exported for the worker module and for tests). */
export function runBlock(job: Job): { data: ArrayLike<number>; flags: number; stats: KernelResult['stats'] } {
  const unit = macUnit(job.spec);
  const A = new Tensor(unit.a as TensorSpec, job.A.data as never, job.A.shape);
  const B = new Tensor(unit.b as TensorSpec, job.B.data as never, job.B.shape);
  const c = job.c ? new Tensor(unit.c as TensorSpec, job.c.data as never, job.c.shape) : undefined;
  const r = matmul(unit, A, B, { transposeB: job.transposeB, c, indexBase: job.indexBase });
  return { data: r.tensor.data, flags: r.flags, stats: r.stats };
}
