/** Fixed-point operations (ap_fixed / ac_fixed semantics); see `docs/fixed.md`. */
export { fixedFromExact } from './fixedFromExact.js';
export { fixedFromNumber } from './fixedFromNumber.js';
export { fixedToExact } from './fixedToExact.js';
export { fixedToNumber } from './fixedToNumber.js';
export { fixedConvert } from './fixedConvert.js';
export { fixedAdd } from './fixedAdd.js';
export { fixedSub } from './fixedSub.js';
export { fixedMul } from './fixedMul.js';
export { fixedQuantizeArray, type FixedRawArray } from './fixedQuantizeArray.js';
