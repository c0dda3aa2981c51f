/**
 * Matrix products and convolutions split across worker threads (Node only: this entry point,
 * `bitexact/parallel`, uses `node:worker_threads`; the library core does not). The partition is
 * deterministic and the bits do not depend on it:
 * - `matmul`: the M rows of the output are cut into one contiguous block per worker;
 * - `conv2d`: the N images of the batch are cut into one contiguous block per worker (a single image:
 *   its output channels, in whole groups);
 * each block runs the library kernel on its part with `indexBase` = its first output element's index,
 * so every output element sees the same operands, the same MAC order and the same stochastic index as
 * in a single-threaded call; flags are OR-ed and statistics summed. Identical results for any number
 * of threads (tested for 1, 2 and 3).
 */
import { Worker } from 'node:worker_threads';
import type { MacSpec } from '../accum/mac-spec.js';
import { macUnit } from '../accum/mac-unit.js';
import { addStats, emptyStats, type DotUnit, type MacStats } from '../accum/types.js';
import { contiguous } from '../tensor/contiguous.js';
import { conv2d, matmul, tensorFormat, type Conv2dOptions, type KernelResult } from '../tensor/kernels.js';
import { codeArray } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';

/** Codes and shape of a tensor block, as it crosses to a worker. */
interface Block {
  readonly data: ArrayLike<number>;
  readonly shape: number[];
}

/** One block of work. `spec` is sent the first time a worker sees `unit`, then only the number. */
interface Job {
  readonly id: number;
  readonly unit: number;
  readonly spec?: MacSpec;
  readonly kind: 'matmul' | 'conv2d';
  readonly A: Block;
  readonly B: Block;
  readonly c?: Block;
  readonly indexBase: number;
  readonly transposeB?: boolean;
  readonly conv?: Pick<Conv2dOptions, 'stride' | 'padding' | 'dilation' | 'groups'>;
}

interface BlockResult {
  readonly data: ArrayLike<number>;
  readonly flags: number;
  readonly stats: MacStats;
}

/** A pool of worker threads that run matmul and conv2d blocks. Create once, reuse, `close()` at the end. */
export class MatmulPool {
  private readonly workers: Worker[] = [];
  private next = 0;
  private readonly pending = new Map<number, (r: BlockResult | { error: string }) => void>();
  /** Each spec object gets a number; a worker builds its unit once (a unit holds tables and plans). */
  private readonly specIds = new WeakMap<MacSpec, number>();
  private nextSpec = 0;
  private readonly sent: Set<number>[] = [];

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
      this.sent.push(new Set());
    }
  }

  private specId(spec: MacSpec): number {
    let id = this.specIds.get(spec);
    if (id === undefined) {
      id = this.nextSpec++;
      this.specIds.set(spec, id);
    }
    return id;
  }

  private run(t: number, spec: MacSpec, job: Omit<Job, 'id' | 'unit' | 'spec'>): Promise<BlockResult> {
    const w = this.workers[t]!;
    const id = this.next++;
    const unit = this.specId(spec);
    const first = !this.sent[t]!.has(unit);
    this.sent[t]!.add(unit);
    return new Promise<BlockResult>((res, rej) => {
      this.pending.set(id, (r) => {
        if (this.pending.size === 0) w.unref();
        if ('error' in r) rej(new Error(r.error));
        else res(r);
      });
      w.ref(); // keep the process alive while a block is out
      // The blocks are fresh copies: move their buffers instead of copying them again.
      const moved = [job.A.data, job.B.data, job.c?.data].filter((d): d is ArrayBufferView & ArrayLike<number> => ArrayBuffer.isView(d)).map((d) => d.buffer as ArrayBuffer);
      w.postMessage({ ...job, id, unit, spec: first ? spec : undefined }, [...new Set(moved)]);
    });
  }

  /** Gathers the blocks' results into one output tensor (block i starts at element starts[i]). */
  private static gather(unit: DotUnit, shape: number[], starts: number[], results: BlockResult[]): KernelResult {
    const fo = tensorFormat(unit.out, 'unit.out');
    const out = new Tensor(fo, codeArray(fo, shape.reduce((p, d) => p * d, 1)), shape);
    const stats = emptyStats();
    let flags = 0;
    results.forEach((r, i) => {
      out.data.set(r.data as never, starts[i]!);
      flags |= r.flags;
      addStats(stats, r.stats);
    });
    return { tensor: out, flags, stats };
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
    const parts: Promise<BlockResult>[] = [];
    const starts: number[] = [];
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
      starts.push(r0 * N);
      const Ablock = { data: Ac.data.slice(Ac.offset + r0 * K, Ac.offset + r1 * K), shape: [r1 - r0, K] };
      let cb: Block | undefined;
      if (cFull) cb = cFull.ndim === 2 && cFull.shape[0] === M && M > 1 ? { data: cFull.data.slice(r0 * N, r1 * N), shape: [r1 - r0, N] } : { data: cFull.data.slice(), shape: [...cFull.shape] };
      parts.push(this.run(t, spec, { kind: 'matmul', A: Ablock, B: { data: Bc.data.slice(Bc.offset, Bc.offset + Bc.size), shape: [...Bc.shape] }, c: cb, indexBase: r0 * N, transposeB: !!opts.transposeB }));
    }
    return MatmulPool.gather(unit, [M, N], starts, await Promise.all(parts));
  }

  /**
   * 2-D convolution through the unit of `spec`, X [N, C, H, W] (NCHW), W [O, C/groups, kh, kw], with
   * conv2d's options; the batch is split across the workers, or, for a batch of one image, the output
   * channels (in whole groups). The same bits, flags and statistics as `conv2d(macUnit(spec), X, W, opts)`.
   */
  async conv2d(spec: MacSpec, X: Tensor, W: Tensor, opts: Omit<Conv2dOptions, 'indexBase'> = {}): Promise<KernelResult> {
    const unit = macUnit(spec);
    if (X.ndim !== 4) throw new RangeError(`MatmulPool.conv2d: X must be NCHW (4 dimensions), got shape [${X.shape}]`);
    // The shape checks and the output shape, from the kernel itself on an empty batch.
    const X0 = new Tensor(X.spec, codeArray(X.spec, 0), [0, ...X.shape.slice(1)]);
    const shape = [...conv2d(unit, X0, W, opts).tensor.shape];
    const N = X.shape[0]!;
    shape[0] = N;
    const perImage = shape[1]! * shape[2]! * shape[3]!;
    const img = X.shape[1]! * X.shape[2]! * X.shape[3]!;
    const Xc = contiguous(X);
    const Wc = contiguous(W);
    const bias = opts.bias ? contiguous(opts.bias) : undefined;
    const conv = { stride: opts.stride, padding: opts.padding, dilation: opts.dilation, groups: opts.groups };
    const parts: Promise<BlockResult>[] = [];
    const starts: number[] = [];
    if (N === 1 && this.threads > 1) {
      // One image: split the output channels instead, in whole groups (a group's channels read its
      // own input channels). Channels o0 … o1-1 of one image are a contiguous run of the output that
      // starts at element o0·HO·WO, which is their block's indexBase.
      const G = opts.groups ?? 1;
      const [O, Cg] = W.shape as [number, number];
      const OG = O / G;
      const P = shape[2]! * shape[3]!;
      const hw = X.shape[2]! * X.shape[3]!;
      const kk = Wc.size / O; // weights per output channel
      // Units of work: output channels when G = 1, whole groups otherwise.
      const units = G === 1 ? O : G;
      const perUnit = G === 1 ? 1 : OG;
      const per = Math.ceil(units / this.threads);
      for (let t = 0; t < this.threads; t++) {
        const u0 = t * per;
        const u1 = Math.min(units, u0 + per);
        if (u0 >= u1) break;
        const o0 = u0 * perUnit;
        const o1 = u1 * perUnit;
        // The input channels those output channels read: all of them (G = 1), or their groups' own.
        const c0 = G === 1 ? 0 : u0 * Cg;
        const c1 = G === 1 ? X.shape[1]! : u1 * Cg;
        starts.push(o0 * P);
        parts.push(
          this.run(t, spec, {
            kind: 'conv2d',
            A: { data: Xc.data.slice(Xc.offset + c0 * hw, Xc.offset + c1 * hw), shape: [1, c1 - c0, X.shape[2]!, X.shape[3]!] },
            B: { data: Wc.data.slice(Wc.offset + o0 * kk, Wc.offset + o1 * kk), shape: [o1 - o0, ...Wc.shape.slice(1)] },
            c: bias ? { data: bias.data.slice(bias.offset + o0, bias.offset + o1), shape: [o1 - o0] } : undefined,
            indexBase: o0 * P,
            conv: { ...conv, groups: G === 1 ? 1 : u1 - u0 },
          }),
        );
      }
      return MatmulPool.gather(unit, shape, starts, await Promise.all(parts));
    }
    const per = Math.ceil(N / this.threads);
    for (let t = 0; t < this.threads; t++) {
      const n0 = t * per;
      const n1 = Math.min(N, n0 + per);
      if (n0 >= n1) break;
      starts.push(n0 * perImage);
      parts.push(
        this.run(t, spec, {
          kind: 'conv2d',
          A: { data: Xc.data.slice(Xc.offset + n0 * img, Xc.offset + n1 * img), shape: [n1 - n0, ...X.shape.slice(1)] },
          B: { data: Wc.data.slice(Wc.offset, Wc.offset + Wc.size), shape: [...Wc.shape] },
          c: bias ? { data: bias.data.slice(bias.offset, bias.offset + bias.size), shape: [...bias.shape] } : undefined,
          indexBase: n0 * perImage,
          conv,
        }),
      );
    }
    return MatmulPool.gather(unit, shape, starts, await Promise.all(parts));
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The units a worker has built, by the pool's spec number. */
const UNITS = new Map<number, DotUnit>();

/** The work of one block, as the worker runs it (exported for the worker module and for tests). */
export function runBlock(job: Omit<Job, 'id'>): BlockResult {
  let unit = UNITS.get(job.unit);
  if (job.spec) {
    unit = macUnit(job.spec);
    UNITS.set(job.unit, unit);
  }
  if (!unit) throw new Error(`worker: unit ${job.unit} was never sent`);
  const A = new Tensor(tensorFormat(unit.a, 'unit.a'), job.A.data as never, job.A.shape);
  const B = new Tensor(tensorFormat(unit.b, 'unit.b'), job.B.data as never, job.B.shape);
  const c = job.c ? new Tensor(tensorFormat(unit.c, 'unit.c'), job.c.data as never, job.c.shape) : undefined;
  const r =
    job.kind === 'conv2d'
      ? conv2d(unit, A, B, { ...job.conv, bias: c, indexBase: job.indexBase })
      : matmul(unit, A, B, { transposeB: job.transposeB, c, indexBase: job.indexBase });
  return { data: r.tensor.data, flags: r.flags, stats: r.stats };
}
