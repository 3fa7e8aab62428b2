/**
 * Progress bars on stderr (only when it is a terminal, so logs and tests stay clean).
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(value: number, payload?: Record<string, string>): void;
  stop(): void;
}

export function progressBar(enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: '{label} [{bar}] {value}/{total} {info}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let label = '';
  return {
    start(total, name) {
      label = name;
      bar.start(total, 0, { label, info: '' });
    },
    update(value, payload) {
      bar.update(value, { label, info: '', ...payload });
    },
    stop() {
      bar.stop();
    },
  };
}
