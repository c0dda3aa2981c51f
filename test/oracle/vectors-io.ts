// Reading the shared external vectors (gzip text) for the oracle's own validation tests.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The test level: 'full' checks every line, 'fast' (default) a deterministic sample. */
export const FULL = process.env.BITEXACT_LEVEL === 'full';

/** The folder of shared vectors: $BITEXACT_VECTORS, else ../shared/vectors, else /work/shared/vectors. */
export function vectorsRoot(): string | undefined {
  const candidates = [
    process.env.BITEXACT_VECTORS,
    path.resolve(process.cwd(), '../shared/vectors'),
    '/work/shared/vectors',
  ];
  for (const c of candidates) if (c && existsSync(path.join(c, 'testfloat'))) return c;
  return undefined;
}

export function listGz(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.txt.gz'))
    .sort();
}

/** The lines of a .txt.gz file (no empty trailing line). */
export function readGzLines(file: string): string[] {
  const text = gunzipSync(readFileSync(file)).toString('latin1');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Deterministic sample: every line at full level, else every `every`-th line from `offset`. */
export function sampled(i: number, every: number, offset: number): boolean {
  return FULL || i % every === offset % every;
}

export const hex = (s: string): bigint => BigInt('0x' + s);

/** A tally of checked lines and the first few mismatches, for one test. */
export class Tally {
  checked = 0;
  skipped = 0;
  mismatches = 0;
  readonly examples: string[] = [];
  ok(): void {
    this.checked++;
  }
  bad(msg: string): void {
    this.checked++;
    this.mismatches++;
    if (this.examples.length < 12) this.examples.push(msg);
  }
  report(): string {
    return this.examples.join('\n');
  }
}
