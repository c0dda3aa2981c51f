/** The worker thread of {@link MatmulPool}: runs one block per message. @internal */
import { parentPort } from 'node:worker_threads';
import { runBlock } from './matmul-pool.js';

parentPort!.on('message', (job: Parameters<typeof runBlock>[0] & { id: number }) => {
  try {
    const r = runBlock(job);
    parentPort!.postMessage({ id: job.id, ...r }, ArrayBuffer.isView(r.data) ? [r.data.buffer as ArrayBuffer] : []);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message });
  }
});
