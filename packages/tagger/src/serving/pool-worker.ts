// One thread of a tagger pool (`loadTaggerPool`, tagger-pool.ts): loads the tagger once (one
// engine thread), says it is ready, then tags each batch its parent posts and posts the results.
import { parentPort, workerData } from 'node:worker_threads';
import { loadTagger } from '../load';
import { errorData, type PoolReply, type PoolRequest, type PoolWorkerData } from './pool-protocol';

const port = parentPort;
if (port === null) throw new Error('pool-worker runs as a worker thread of loadTaggerPool');
const post = (reply: PoolReply): void => port.postMessage(reply);
const data = workerData as PoolWorkerData;

loadTagger(data.model, { ...data.options, threads: 1 }).then(
  (tagger) => {
    port.on('message', (request: PoolRequest) => {
      try {
        post({ type: 'done', id: request.id, results: tagger.tagBatch(request.texts) });
      } catch (error) {
        post({ type: 'failed', id: request.id, error: errorData(error) });
      }
    });
    post({ type: 'ready', source: tagger.source, description: tagger.engine.description, labels: tagger.labels });
  },
  (error: unknown) => post({ type: 'load-failed', error: errorData(error) }),
);
