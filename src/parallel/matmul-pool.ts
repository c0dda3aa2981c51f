/**
 * Matrix products and convolutions split across worker threads (Node only: this entry point,
 * `bitexact/parallel`, uses `node:worker_threads`; the library core does not). The partition is
 * deterministic and the bits do not depend on it:
 * - `matmul`: the M rows of the output are cut into contiguous blocks;
 * - `conv2d`: the N images of the batch are cut into contiguous blocks (a single image: its output
 *   channels, in whole groups);
 * with one thread, one block; with T ≥ 2 threads, up to `blocksPerThread`·T blocks (default 4·T). The
 * operands and the output live in SharedArrayBuffers and each worker takes the next block from a shared
 * counter until none is left, so a worker on a core that runs slower (a shared machine) takes fewer
 * blocks instead of holding up the call, with one message per worker and call each way. Each block
 * runs the library kernel on its part with `indexBase` = its first output element's index, so every
 * output element sees the same operands, the same MAC order and the same stochastic index as in a
 * single-threaded call, whichever worker computes it; flags are OR-ed and statistics (integer counts)
 * summed. Identical results for any number of threads and blocks (tested for 1, 2 and 3 threads and
 * 1, 3, 4 and 5 blocks per thread).
 */
import { Worker } from 'node:worker_threads';
import type { MacSpec } from '../accum/mac-spec.js';
import { macUnit } from '../accum/mac-unit.js';
import { addStats, emptyStats, type DotUnit, type MacStats } from '../accum/types.js';
import { contiguous } from '../tensor/contiguous.js';
import { conv2d, matmul, tensorFormat, type Conv2dOptions, type DecodedB, type KernelResult } from '../tensor/kernels.js';
import { codeArray, codeArrayCtor, type CodeData, type TensorSpec } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';

/** A run of one of a call's shared code arrays: [offset, length] and the shape of its tensor. */
interface Run {
  readonly at: number;
  readonly length: number;
  readonly shape: readonly number[];
}

/** One block of a call: its operands' runs, where its outputs go, and its stochastic index base. */
interface BlockDesc {
  readonly A: Run;
  readonly B: Run;
  readonly c?: Run;
  /** Its first output element, in the whole output (also its `indexBase`). */
  readonly start: number;
  /** conv2d: the groups of this block (a single image split by groups); else the call's. */
  readonly groups?: number;
}

/**
 * One kernel call, as every worker receives it. The operands and the output live in
 * SharedArrayBuffers; the workers take blocks in turn from the shared counter `next` (Atomics.add), so a
 * worker that runs faster takes more of them, write each block's codes into `out` and reply once with
 * the OR of their flags and the sum of their statistics. `spec` is sent the first time a worker sees
 * `unit`, then only the number.
 */
interface Call {
  readonly id: number;
  readonly unit: number;
  readonly spec?: MacSpec;
  readonly kind: 'matmul' | 'conv2d';
  readonly A: CodeData;
  readonly B: CodeData;
  readonly c?: CodeData;
  readonly out: CodeData;
  readonly next: Int32Array;
  readonly blocks: readonly BlockDesc[];
  readonly transposeB?: boolean;
  readonly conv?: Pick<Conv2dOptions, 'stride' | 'padding' | 'dilation' | 'groups'>;
}

interface CallResult {
  readonly flags: number;
  readonly stats: MacStats;
}

/**
 * The default of {@link PoolOptions.blocksPerThread}: with T ≥ 2 threads a kernel is cut into up to
 * this many blocks per thread, which the workers take in turn.
 */
export const BLOCKS_PER_THREAD = 4;

/** Options of {@link MatmulPool}. */
export interface PoolOptions {
  /**
   * With 2 or more threads, cut each kernel into up to this many blocks per thread (integer 1..64,
   * default {@link BLOCKS_PER_THREAD}); 1 gives each worker one equal block. The bits never depend on it.
   */
  readonly blocksPerThread?: number;
}

/** The [start, end) ranges of `units` cut into `blocks` nearly equal contiguous runs (the first ones longer). */
function cut(units: number, blocks: number): [number, number][] {
  const n = Math.max(1, Math.min(units, blocks));
  const out: [number, number][] = [];
  const q = Math.floor(units / n);
  const r = units % n;
  let u = 0;
  for (let i = 0; i < n && u < units; i++) {
    const len = q + (i < r ? 1 : 0);
    out.push([u, u + len]);
    u += len;
  }
  return out;
}

/** A zeroed code array of class `Ctor` and length n in a SharedArrayBuffer. */
function sharedArray(Ctor: { BYTES_PER_ELEMENT: number }, n: number): CodeData {
  return new (Ctor as unknown as new (b: SharedArrayBuffer) => CodeData)(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT));
}

/** A copy of src[from … to) in a SharedArrayBuffer, as the same typed-array class. */
function shared(src: CodeData, from: number, to: number): CodeData {
  const out = sharedArray(src.constructor as unknown as { BYTES_PER_ELEMENT: number }, Math.max(0, to - from));
  out.set(src.subarray(from, to) as never);
  return out;
}

/** A pool of worker threads that run matmul and conv2d. Create once, reuse, `close()` at the end. */
export class MatmulPool {
  private readonly workers: Worker[] = [];
  private next = 0;
  private readonly pending = new Map<number, (r: CallResult | { error: string }) => void>();
  /** Each spec object gets a number; a worker builds its unit once (a unit holds tables and plans). */
  private readonly specIds = new WeakMap<MacSpec, number>();
  private nextSpec = 0;
  private readonly sent: Set<number>[] = [];
  private readonly blocksPerThread: number;

  /** `threads` workers (integer 1..64). */
  constructor(
    readonly threads: number,
    opts: PoolOptions = {},
  ) {
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError(`threads: must be an integer in 1..64, got ${threads}`);
    const bpt = opts.blocksPerThread ?? BLOCKS_PER_THREAD;
    if (!Number.isInteger(bpt) || bpt < 1 || bpt > 64) throw new RangeError(`blocksPerThread: must be an integer in 1..64, got ${bpt}`);
    this.blocksPerThread = bpt;
    for (let i = 0; i < threads; i++) {
      const w = new Worker(new URL('./matmul-worker.js', import.meta.url));
      w.on('message', (m: { id: number; worker: number }) => {
        const key = m.id * 64 + m.worker;
        const f = this.pending.get(key);
        this.pending.delete(key);
        f?.(m as never);
      });
      // A worker that dies fails every pending call (never a silent hang).
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

  /** How many blocks a kernel is cut into: one with one thread, else up to blocksPerThread per thread. */
  private blocks(): number {
    return this.threads === 1 ? 1 : this.threads * this.blocksPerThread;
  }

  /**
   * Runs a call on every worker (each takes blocks until none is left) and returns the output tensor
   * (a fresh, unshared copy of the shared codes), the OR of the flags and the summed statistics. Which
   * worker ran a block changes no bit.
   */
  private async runCall(spec: MacSpec, unit: DotUnit, shape: number[], call: Omit<Call, 'id' | 'unit' | 'spec' | 'out' | 'next'>): Promise<KernelResult> {
    const fo = tensorFormat(unit.out, 'unit.out');
    const size = shape.reduce((p, d) => p * d, 1);
    const out = sharedArray(codeArrayCtor(fo) as unknown as { BYTES_PER_ELEMENT: number }, size);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const id = this.next++;
    const uid = this.specId(spec);
    const replies = this.workers.map(
      (w, t) =>
        new Promise<CallResult>((res, rej) => {
          const first = !this.sent[t]!.has(uid);
          this.sent[t]!.add(uid);
          this.pending.set(id * 64 + t, (r) => {
            if (this.pending.size === 0) for (const x of this.workers) x.unref();
            if ('error' in r) rej(new Error(r.error));
            else res(r);
          });
          w.ref(); // keep the process alive while a call is out
          w.postMessage({ ...call, id, worker: t, unit: uid, spec: first ? spec : undefined, out, next });
        }),
    );
    const results = await Promise.all(replies);
    const stats = emptyStats();
    let flags = 0;
    for (const r of results) {
      flags |= r.flags;
      addStats(stats, r.stats);
    }
    return { tensor: new Tensor(fo, out.slice(), shape), flags, stats };
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
    let cc: Tensor | undefined;
    if (opts.c) {
      cc = contiguous(opts.c);
      if (!(cc.ndim === 1 && cc.shape[0] === N) && !(cc.ndim === 2 && (cc.shape[0] === 1 || cc.shape[0] === M) && cc.shape[1] === N)) {
        throw new RangeError(`MatmulPool.matmul: c must have shape [${N}], [1, ${N}] or [${M}, ${N}], got [${cc.shape}]`);
      }
    }
    const cRows = cc !== undefined && cc.ndim === 2 && cc.shape[0] === M && M > 1;
    const Bwhole: Run = { at: 0, length: Bc.size, shape: [...Bc.shape] };
    const blocks: BlockDesc[] = cut(M, this.blocks()).map(([r0, r1]) => ({
      A: { at: r0 * K, length: (r1 - r0) * K, shape: [r1 - r0, K] },
      B: Bwhole,
      c: cc ? (cRows ? { at: r0 * N, length: (r1 - r0) * N, shape: [r1 - r0, N] } : { at: 0, length: cc.size, shape: [...cc.shape] }) : undefined,
      start: r0 * N,
    }));
    return this.runCall(spec, unit, [M, N], {
      kind: 'matmul',
      A: shared(Ac.data, Ac.offset, Ac.offset + Ac.size),
      B: shared(Bc.data, Bc.offset, Bc.offset + Bc.size),
      c: cc ? shared(cc.data, cc.offset, cc.offset + cc.size) : undefined,
      blocks,
      transposeB: !!opts.transposeB,
    });
  }

  /**
   * 2-D convolution through the unit of `spec`, X [N, C, H, W] (NCHW), W [O, C/groups, kh, kw], with
   * conv2d's options; the batch is split into blocks of images, or, for a batch of one image, of output
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
    const arrays = {
      A: shared(Xc.data, Xc.offset, Xc.offset + Xc.size),
      B: shared(Wc.data, Wc.offset, Wc.offset + Wc.size),
      c: bias ? shared(bias.data, bias.offset, bias.offset + bias.size) : undefined,
    };
    let blocks: BlockDesc[];
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
      blocks = cut(units, this.blocks()).map(([u0, u1]) => {
        const o0 = u0 * perUnit;
        const o1 = u1 * perUnit;
        // The input channels those output channels read: all of them (G = 1), or their groups' own.
        const c0 = G === 1 ? 0 : u0 * Cg;
        const c1 = G === 1 ? X.shape[1]! : u1 * Cg;
        return {
          A: { at: c0 * hw, length: (c1 - c0) * hw, shape: [1, c1 - c0, X.shape[2]!, X.shape[3]!] },
          B: { at: o0 * kk, length: (o1 - o0) * kk, shape: [o1 - o0, ...Wc.shape.slice(1)] },
          c: bias ? { at: o0, length: o1 - o0, shape: [o1 - o0] } : undefined,
          start: o0 * P,
          groups: G === 1 ? 1 : u1 - u0,
        };
      });
    } else {
      const Wwhole: Run = { at: 0, length: Wc.size, shape: [...Wc.shape] };
      const cWhole: Run | undefined = bias ? { at: 0, length: bias.size, shape: [...bias.shape] } : undefined;
      blocks = cut(N, this.blocks()).map(([n0, n1]) => ({
        A: { at: n0 * img, length: (n1 - n0) * img, shape: [n1 - n0, ...X.shape.slice(1)] },
        B: Wwhole,
        c: cWhole,
        start: n0 * perImage,
      }));
    }
    return this.runCall(spec, unit, shape, { kind: 'conv2d', ...arrays, blocks, conv });
  }

  /** Terminates the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The units a worker has built, by the pool's spec number. */
const UNITS = new Map<number, DotUnit>();

/**
 * A worker's part of a call (exported for the worker module): takes blocks from the shared counter
 * until none is left, computes each with the library kernel (`indexBase` = its first output element)
 * and writes its codes into the shared output; the OR of their flags and the sum of their statistics.
 * @internal
 */
export function runCall(call: Omit<Call, 'id'>): CallResult {
  let unit = UNITS.get(call.unit);
  if (call.spec) {
    unit = macUnit(call.spec);
    UNITS.set(call.unit, unit);
  }
  if (!unit) throw new Error(`worker: unit ${call.unit} was never sent`);
  const fa = tensorFormat(unit.a, 'unit.a');
  const fb = tensorFormat(unit.b, 'unit.b');
  const fc = tensorFormat(unit.c, 'unit.c');
  const view = (f: TensorSpec, data: CodeData, r: Run) => new Tensor(f, data.subarray(r.at, r.at + r.length) as CodeData, r.shape);
  // One B tensor per distinct run, so that matmul decodes B once for all of this worker's blocks.
  let runB: Run | null = null;
  let tensorB: Tensor | null = null;
  const decoded: DecodedB = {};
  const stats = emptyStats();
  let flags = 0;
  for (;;) {
    const i = Atomics.add(call.next, 0, 1);
    if (i >= call.blocks.length) break;
    const b = call.blocks[i]!;
    const A = view(fa, call.A, b.A);
    if (runB !== b.B || !tensorB) {
      runB = b.B;
      tensorB = view(fb, call.B, b.B);
    }
    const c = b.c && call.c ? view(fc, call.c, b.c) : undefined;
    const r =
      call.kind === 'conv2d'
        ? conv2d(unit, A, tensorB, { ...call.conv, groups: b.groups ?? call.conv?.groups, bias: c, indexBase: b.start })
        : matmul(unit, A, tensorB, { transposeB: call.transposeB, c, indexBase: b.start }, decoded);
    call.out.set(r.tensor.data as never, b.start);
    flags |= r.flags;
    addStats(stats, r.stats);
  }
  return { flags, stats };
}
