import { createLocalQueue, createMemoryPersistence, type JobQueue } from '../src/index.ts';
import { CONTRACT_RETRY, queueContract } from './queue-contract.ts';

queueContract('local', async () => {
  // The persistence outlives queue instances, as PGlite outlives the embedded server process.
  const persistence = createMemoryPersistence();
  const open = (): Promise<JobQueue> => createLocalQueue({ persistence, retry: CONTRACT_RETRY });
  const handles: JobQueue[] = [];
  const hung: Array<() => void> = [];
  const queue = await open();
  handles.push(queue);
  return {
    queue,
    shared: false,
    async reopen() {
      const handle = await open();
      handles.push(handle);
      return handle;
    },
    async crashWhileProcessing(jobId) {
      // A "process" that takes the job and never finishes or cleans up: it is simply dropped,
      // leaving only what it had persisted, which is what survives a kill -9 of the embedded server.
      const doomed = await open();
      await new Promise<void>((started) => {
        doomed.process(async (job) => {
          if (job.id !== jobId) return;
          started();
          await new Promise<void>((release) => hung.push(release));
        }, { concurrency: 1 });
      });
    },
    async cleanup() {
      await Promise.all(handles.map((h) => h.close({ drain: false, timeoutMs: 0 })));
      for (const release of hung) release();
    },
  };
});
