/**
 * A tiny benchmark harness: every case runs next to a baseline measured in the same run, each is
 * repeated and the median is reported, inputs are seeded, and results are consumed (a checksum is
 * printed) so nothing is optimised away.
 */

/** A deterministic 32-bit generator (mulberry32) for benchmark inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchCase {
  name: string;
  /** Elements processed per call of `run`. */
  n: number;
  /** The emulated kernel; returns a number derived from its output. */
  run: () => number;
  /** The native float64 loop of the same shape. */
  baseline: () => number;
  baselineName: string;
}

function timeIt(f: () => number, minMs: number): { perCallNs: number; sink: number } {
  let calls = 0;
  let sink = 0;
  const t0 = process.hrtime.bigint();
  let el = 0;
  while (el < minMs * 1e6) {
    sink += f();
    calls++;
    el = Number(process.hrtime.bigint() - t0);
  }
  return { perCallNs: el / calls, sink };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}

export interface BenchRow {
  name: string;
  emulatedPerSec: number;
  nativePerSec: number;
  ratio: number;
  baselineName: string;
}

/** Runs each case `reps` times interleaved with its baseline; returns medians. */
export function runCases(cases: BenchCase[], reps = 7, minMs = 150): BenchRow[] {
  const rows: BenchRow[] = [];
  let sink = 0;
  for (const c of cases) {
    // Warm up both (JIT).
    timeIt(c.run, 100);
    timeIt(c.baseline, 100);
    const emu: number[] = [];
    const nat: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < reps; r++) {
      const a = timeIt(c.run, minMs);
      const b = timeIt(c.baseline, minMs);
      sink += a.sink + b.sink;
      emu.push((c.n / a.perCallNs) * 1e9);
      nat.push((c.n / b.perCallNs) * 1e9);
      ratios.push(b.perCallNs / a.perCallNs);
    }
    rows.push({ name: c.name, emulatedPerSec: median(emu), nativePerSec: median(nat), ratio: median(ratios), baselineName: c.baselineName });
  }
  if (Number.isNaN(sink)) console.log('(sink)');
  return rows;
}

export function printRows(title: string, rows: BenchRow[]): void {
  const fmt = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
  console.log(`\n${title}  (median of repeated runs; ratio = emulated / native, same run)`);
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(w)}  ${fmt(r.emulatedPerSec).padStart(11)}   native ${fmt(r.nativePerSec).padStart(11)}   ratio ${r.ratio.toFixed(3)}   (${r.baselineName})`,
    );
  }
}
