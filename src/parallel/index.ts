/** Node-only parallel kernels (`import { MatmulPool } from 'bitexact/parallel'`). */
export { MatmulPool, BLOCKS_PER_THREAD, type PoolOptions } from './matmul-pool.js';
