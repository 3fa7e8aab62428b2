import cliProgress from 'cli-progress';

/** A training progress bar on stdout: batches of the epoch, loss. `stop()` before other output. */
export function progressBar(): { update(p: { epoch: number; batch: number; batches: number; loss: number }): void; stop(): void } {
  let bar: cliProgress.SingleBar | null = null;
  let epoch = -1;
  return {
    update(p) {
      if (bar === null || p.epoch !== epoch) {
        bar?.stop();
        epoch = p.epoch;
        bar = new cliProgress.SingleBar(
          { format: '{value}/{total} [{bar}] - {duration}s - loss: {loss}', barsize: 30, hideCursor: true },
          cliProgress.Presets.legacy,
        );
        bar.start(p.batches, 0, { loss: 'n/a' });
      }
      bar.update(p.batch, { loss: p.loss.toFixed(4) });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
