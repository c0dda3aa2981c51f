/**
 * NVIDIA GPU matrix units (tensor cores) as n-term fused adders, one unit per GPU × input × output.
 *
 * Parameters: F. A. Khattak and M. Mikaitis, "Accurate Models of NVIDIA Tensor Cores", ACM TACO,
 * doi:10.1145/3830409 (arXiv:2512.07004), fitted to measurements published in
 * github.com/north-numerical-computing/MATLAB-tensor-core (`model_validation/`, commit b12b5a7, BSD 2-Clause,
 * Copyright (c) 2025 Faizan A. Khattak and Mantas Mikaitis). Restated, with the table these presets
 * transcribe, in `../shared/vectors/tensor-core/README.md`; `docs/presets/nvidia.md` is the user-facing card.
 * Every preset here replays its measured file bit for bit (test/accum/tensor-core.test.ts), except where
 * the description says the data does not reach a parameter.
 *
 * Four fits are ours, not upstream's: B200 fp8 → fp32 and Hopper fp8 → fp32 through `mma.sync`
 * (`RNE_fp32(RZ_fp32(P) + c)`, the `late` addend of the fused adder), Ada fp8 → fp16 (the 13-bit
 * window of Ada's fp8 → fp32 model, each group of 16 rounded RNE to fp16), and Hopper/Blackwell fp8 →
 * fp16 (two chained fp16 k16 steps over k mod 4 ∈ {0, 1} then {2, 3}, c added last in fp16).
 */
import type { FloatSpec } from '../../formats/float.js';
import { catalog } from '../../formats/catalog.js';
import type { RoundingMode } from '../../round/modes.js';
import { fusedAdderUnit, type FusedAdderParams } from '../fused-adder.js';
import type { DotUnit } from '../types.js';

const PAPER = 'Khattak & Mikaitis, Accurate Models of NVIDIA Tensor Cores (ACM TACO, doi:10.1145/3830409)';
const DATA = 'north-numerical-computing/MATLAB-tensor-core@b12b5a7 model_validation (BSD-2-Clause)';
const DATA_V01 = 'north-numerical-computing/MATLAB-tensor-core@109e412 (v0.1) model_validation (BSD-2-Clause)';

type InputName = 'fp16' | 'bf16' | 'tf32' | 'e4m3' | 'e5m2';
type OutputName = 'fp32' | 'fp16';

const INPUTS: Record<InputName, FloatSpec> = {
  fp16: catalog.fp16,
  bf16: catalog.bf16,
  tf32: catalog.tf32,
  e4m3: catalog.e4m3fn,
  e5m2: catalog.e5m2,
};
const OUTPUTS: Record<OutputName, FloatSpec> = { fp32: catalog.fp32, fp16: catalog.fp16 };

/** One row of the parameter table (README "Parameter table"). */
interface Row {
  readonly gpu: string;
  readonly gpuLabel: string;
  readonly input: InputName;
  readonly output: OutputName;
  readonly G: number;
  readonly neab: number;
  readonly floor: number | null;
  readonly mode: RoundingMode;
  /** Output fraction bits when not the output format's (13 for the fp8 window). */
  readonly fracBits?: number;
  readonly instruction: string;
  /** What the measured data does and does not reach, when worth saying. */
  readonly note?: string;
  readonly suffix?: string;
  readonly addend?: 'first-group' | 'late';
  readonly source?: string;
  /** The order of the products within each block (FusedAdderParams.productOrder). */
  readonly productOrder?: readonly number[];
  /** Products per instruction (FusedAdderParams.instructionK): a longer K chains instructions. */
  readonly instructionK?: number;
}

function params(r: Row): FusedAdderParams {
  const out = OUTPUTS[r.output];
  const window = 23 + r.neab;
  const frac = r.fracBits ?? out.manBits;
  const name = `nvidia-${r.gpu}-${r.input}-${r.output}${r.suffix ?? ''}`;
  const late = r.addend === 'late';
  const description =
    `${r.gpuLabel} ${r.instruction}: ${r.input} → ${r.output}, ` +
    (late
      ? r.productOrder
        ? `chained groups of G=${r.G} products (k mod 4 in {0,1}, then {2,3}; ${window}-bit window, truncated), each rounded ${r.mode.toUpperCase()} to ${r.output} and fed to the next, then c added by one ${r.output} RNE addition`
        : `fused sum of G=${r.G} products (${window}-bit window, truncated) rounded ${r.mode.toUpperCase()} to ${frac} bits, then c added by one ${r.output} RNE addition`
      : `G=${r.G}, ${window}-bit truncated window, ${r.mode.toUpperCase()} to ${frac} fraction bits`) +
    (r.note ? ` (${r.note})` : '');
  const p: FusedAdderParams = {
    name,
    description,
    source: r.source ?? `${PAPER}; measured: ${DATA} ${r.gpuLabel.split(' ')[0]}`,
    a: INPUTS[r.input],
    b: INPUTS[r.input],
    // An fp16 accumulator arrives as fp16; the unit widens it to binary32 exactly (cEmin −126).
    c: out,
    out,
    groupSize: r.G,
    extraAlignBits: r.neab,
    alignFloor: r.floor,
    alignRounding: 'truncate',
    renormaliseProducts: false,
    cEmin: -126,
    addend: r.addend ?? 'first-group',
    lateRounding: 'rne',
    outputRounding: r.mode,
    outputFractionBits: frac,
    overflow: 'inf',
    ...(r.productOrder ? { productOrder: r.productOrder } : {}),
    ...(r.instructionK !== undefined ? { instructionK: r.instructionK } : {}),
  };
  return Object.freeze(p);
}

/** fp8 mma.sync k32 on Hopper/Blackwell: k mod 4 ∈ {0, 1} (k = 0, 1, 4, 5, …, 29), then {2, 3}. */
const K32_HALVES: readonly number[] = Object.freeze([
  ...Array.from({ length: 32 }, (_, k) => k).filter((k) => k % 4 < 2),
  ...Array.from({ length: 32 }, (_, k) => k).filter((k) => k % 4 >= 2),
]);

const WMMA_16 = 'wmma m16n16k16';
const WMMA_TF32 = 'wmma m16n16k8 tf32';
const MMA_FP8 = 'mma.sync m16n8k32';

/** The rows of one Ampere/Ada-like GPU (fp16, bf16, tf32). */
function ampereLike(gpu: string, gpuLabel: string, G: number, neab: number, floor32: number, floor16: number, Gtf32: number): Row[] {
  return [
    { gpu, gpuLabel, input: 'fp16', output: 'fp32', G, neab, floor: floor32, mode: 'rtz', instruction: WMMA_16 },
    { gpu, gpuLabel, input: 'fp16', output: 'fp16', G, neab, floor: floor16, mode: 'rne', instruction: WMMA_16, note: 'neab and floor not reached by the data' },
    { gpu, gpuLabel, input: 'bf16', output: 'fp32', G, neab, floor: floor32, mode: 'rtz', instruction: WMMA_16 },
    {
      gpu, gpuLabel, input: 'tf32', output: 'fp32', G: Gtf32, neab, floor: floor32, mode: 'rtz', instruction: WMMA_TF32,
      ...(Gtf32 > 4 ? { note: `data has 4 products per case: G=${Gtf32} not reached` } : {}),
    },
  ];
}

const ROWS: Row[] = [
  // Volta: no bf16/tf32.
  { gpu: 'v100', gpuLabel: 'V100', input: 'fp16', output: 'fp32', G: 4, neab: 0, floor: null, mode: 'rtz', instruction: WMMA_16 },
  { gpu: 'v100', gpuLabel: 'V100', input: 'fp16', output: 'fp16', G: 4, neab: 0, floor: -19, mode: 'rne', instruction: WMMA_16, note: 'floor not reached by the data' },
  ...ampereLike('a100', 'A100', 8, 1, -132, -20, 4),
  ...ampereLike('a2', 'A2', 8, 1, -132, -20, 4),
  ...ampereLike('ada', 'Ada (RTX 1000 Ada)', 8, 1, -132, -20, 4),
  ...ampereLike('l40s', 'L40S', 8, 1, -132, -20, 4),
  ...(['ada', 'l40s'] as const).flatMap((gpu): Row[] =>
    (['e4m3', 'e5m2'] as const).map((input): Row => ({
      gpu, gpuLabel: gpu === 'ada' ? 'Ada (RTX 1000 Ada)' : 'L40S', input, output: 'fp32', G: 16, neab: -10, floor: -132, mode: 'rtz', fracBits: 13,
      instruction: MMA_FP8, note: 'two groups of 16 for k32; the result keeps 13 fraction bits',
    })),
  ),
  // Ada fp8 → fp16 (upstream: not modelled): the fp32 model's 13-bit window, RNE to fp16 after each group.
  ...(['e4m3', 'e5m2'] as const).map((input): Row => ({
    gpu: 'ada', gpuLabel: 'Ada (RTX 1000 Ada)', input, output: 'fp16', G: 16, neab: -10, floor: -20, mode: 'rne', instruction: MMA_FP8,
    note: 'bitexact fit, not upstream; two groups of 16, each rounded RNE to fp16; floor by analogy, not reached',
    source: `bitexact's fit to ${DATA} Ada fp8 d_Ada_fp16; window and stages after ${PAPER}`,
  })),
  ...ampereLike('h100', 'H100', 16, 2, -133, -21, 8),
  ...ampereLike('h200', 'H200', 16, 2, -133, -21, 8),
  ...ampereLike('b200', 'B200', 16, 2, -133, -21, 8),
  // Hopper fp8, WGMMA (current data: zero accumulator, so c's path is not measured).
  ...(['h100', 'h200'] as const).flatMap((gpu): Row[] =>
    (['e4m3', 'e5m2'] as const).map((input): Row => ({
      gpu, gpuLabel: gpu.toUpperCase(), input, output: 'fp32', G: 32, neab: -10, floor: -133, mode: 'rtz', fracBits: 13,
      instruction: 'WGMMA', suffix: '-wgmma', note: 'measured with c = 0 only; the result keeps 13 fraction bits',
    })),
  ),
  // Hopper fp8 through mma.sync (upstream v0.1 data, c applied): our two-stage fit.
  ...(['h100', 'h200'] as const).flatMap((gpu): Row[] =>
    (['e4m3', 'e5m2'] as const).map((input): Row => ({
      gpu, gpuLabel: gpu.toUpperCase(), input, output: 'fp32', G: 32, neab: 2, floor: -133, mode: 'rtz', instruction: MMA_FP8,
      suffix: '-mma', addend: 'late', instructionK: 32, note: 'bitexact fit, not upstream; G (4..32) and neab (0..10) not pinned by the data',
      source: `bitexact's fit to ${DATA_V01} superseded-109e412/${gpu.toUpperCase()}; window and stages after ${PAPER}`,
    })),
  ),
  // Hopper and Blackwell fp8 → fp16 (upstream: not modelled): two chained fp16 k16 steps from zero, the
  // products of k mod 4 ∈ {0, 1} first, then those of {2, 3}, each step the fp16 → fp16 fused adder of
  // these GPUs (window 25, truncation, RNE to fp16); c added last by one fp16 RNE addition. A longer
  // K runs as consecutive k32 instructions, each taking the previous result as its c.
  ...(['h100', 'h200', 'b200'] as const).flatMap((gpu): Row[] =>
    (['e4m3', 'e5m2'] as const).map((input): Row => ({
      gpu, gpuLabel: gpu.toUpperCase(), input, output: 'fp16', G: 16, neab: 2, floor: -21, mode: 'rne', instruction: MMA_FP8,
      addend: 'late', productOrder: K32_HALVES, instructionK: 32,
      note: 'bitexact fit, not upstream; windows of 18 bits or more fit, neab 2 as the fp16 unit; floor not reached',
      source: `bitexact's fit to ${DATA} ${gpu.toUpperCase()} fp8 d_${gpu.toUpperCase()}_fp16; stages after ${PAPER}`,
    })),
  ),
  // Blackwell fp8: upstream's model (G 32, neab 2, RZ, c in the group) does not fit; our two-stage fit does.
  ...(['e4m3', 'e5m2'] as const).map((input): Row => ({
    gpu: 'b200', gpuLabel: 'B200', input, output: 'fp32', G: 32, neab: 2, floor: -133, mode: 'rtz', instruction: MMA_FP8,
    addend: 'late', instructionK: 32, note: 'bitexact fit, not upstream; G (4..32) and neab (0..10) not pinned by the data',
    source: `bitexact's fit to ${DATA} B200; window and stages after ${PAPER}`,
  })),
];

/**
 * Every NVIDIA preset, in table order: V100, A100, A2, Ada, L40S (fp16, bf16, tf32 inputs), Ada/L40S fp8
 * → fp32, Ada fp8 → fp16, H100, H200, B200 (fp16, bf16, tf32), Hopper fp8 WGMMA (`-wgmma`), Hopper fp8
 * mma.sync (`-mma`), Hopper/Blackwell fp8 → fp16, B200 fp8 → fp32. 52 units.
 *
 * @example
 * ```ts
 * const u = NVIDIA_PRESETS.find((p) => p.name === 'nvidia-a100-fp16-fp32')!;
 * u.dot([0x3c00, 0x3c00], [0x3c00, 0x3c00], 0x3f800000).code; // => 0x40400000 (1·1 + 1·1 + 1 = 3)
 * ```
 */
export const NVIDIA_PRESETS: readonly DotUnit[] = Object.freeze(ROWS.map((r) => fusedAdderUnit(params(r))));

/**
 * The fused-adder parameters of every preset, in the order of {@link NVIDIA_PRESETS} (data: change a field
 * and rebuild with `fusedAdderUnit` to explore a variant).
 *
 * @example
 * ```ts
 * NVIDIA_PRESET_PARAMS.find((p) => p.name === 'nvidia-h100-fp16-fp32')!.extraAlignBits; // => 2
 * ```
 */
export const NVIDIA_PRESET_PARAMS: readonly FusedAdderParams[] = Object.freeze(ROWS.map(params));

/**
 * A preset by name.
 *
 * @example
 * ```ts
 * nvidiaPreset('nvidia-h100-e4m3-fp32-wgmma')?.out.name; // => "fp32"
 * ```
 */
export function nvidiaPreset(name: string): DotUnit | undefined {
  return NVIDIA_PRESETS.find((u) => u.name === name);
}
