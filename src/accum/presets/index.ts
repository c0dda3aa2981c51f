/**
 * Every named MAC preset, for `bitexact macs` and `eval dot --mac NAME`.
 */
import type { DotUnit } from '../types.js';
import { X86_PRESETS } from './x86.js';
import { PAPER_PRESETS } from './papers.js';
import { NVIDIA_PRESETS } from './nvidia.js';
import { macUnit } from '../mac-unit.js';
import { parseMacSpec } from '../parse-mac.js';

/** All presets, in display order. */
export const PRESETS: readonly DotUnit[] = [...X86_PRESETS, ...NVIDIA_PRESETS, ...PAPER_PRESETS];

/**
 * A preset by name (case-insensitive); a RangeError listing the names if unknown.
 *
 * @example
 * ```ts
 * presetByName('x86-vpdpbusd').k; // => 4
 * ```
 */
export function presetByName(name: string): DotUnit {
  const u = PRESETS.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (!u) throw new RangeError(`mac: unknown preset ${JSON.stringify(name)}; known: ${PRESETS.map((p) => p.name).join(', ')}`);
  return u;
}

/**
 * A preset name, or a custom spec in the grammar of `docs/mac-model.md` (anything containing `=`).
 *
 * @example
 * ```ts
 * macByName('ab=e4m3fn,acc=fp32').name; // => "ab=e4m3fn,acc=fp32"
 * ```
 */
export function macByName(text: string): DotUnit {
  if (!text.includes('=')) return presetByName(text);
  return macUnit(parseMacSpec(text), { description: 'custom MAC spec', source: 'command line' });
}
