/** Node-only parallel kernels (`import { MatmulPool } from 'bitexact/parallel'`). */
export { MatmulPool } from './matmul-pool.js';
