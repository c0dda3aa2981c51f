/**
 * The weight hash printed at the end of a run: FNV-1a (64-bit) over every parameter's format name,
 * shape and codes (little-endian, in the width of the format), in parameter order. Two runs with the
 * same recipe and seed print the same hash exactly when they produced the same weight bits.
 */
import type { Tensor } from '../tensor/tensor.js';
import { contiguous } from '../tensor/contiguous.js';

const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** A running FNV-1a 64 hash. */
export class Fnv64 {
  private h = 0xcbf29ce484222325n;
  byte(b: number): void {
    this.h = ((this.h ^ BigInt(b & 0xff)) * PRIME) & MASK;
  }
  text(s: string): void {
    for (const b of new TextEncoder().encode(s)) this.byte(b);
    this.byte(0);
  }
  /** Folds 32 bits at a time through two bytes-at-a-time steps, batched for speed. */
  words(a: ArrayLike<number>, bytes: number): void {
    let h = this.h;
    for (let i = 0; i < a.length; i++) {
      let v = a[i]!;
      for (let j = 0; j < bytes; j++) {
        h = ((h ^ BigInt(v & 0xff)) * PRIME) & MASK;
        v >>>= 8;
      }
    }
    this.h = h;
  }
  hex(): string {
    return this.h.toString(16).padStart(16, '0');
  }
}

/** The hash of a list of named tensors (name, format, shape, codes). */
export function hashTensors(items: readonly { readonly name: string; readonly tensor: Tensor }[]): string {
  const h = new Fnv64();
  for (const { name, tensor } of items) {
    const t = contiguous(tensor);
    h.text(name);
    h.text(t.spec.name);
    h.text(t.shape.join('x'));
    h.words(t.data as ArrayLike<number>, t.data.BYTES_PER_ELEMENT);
  }
  return h.hex();
}
