/** The worker thread of {@link MatmulPool}: runs its part of one call per message. @internal */
import { parentPort } from 'node:worker_threads';
import { runCall } from './matmul-pool.js';

parentPort!.on('message', (call: Parameters<typeof runCall>[0] & { id: number; worker: number }) => {
  try {
    parentPort!.postMessage({ id: call.id, worker: call.worker, ...runCall(call) });
  } catch (e) {
    parentPort!.postMessage({ id: call.id, worker: call.worker, error: (e as Error).message });
  }
});
