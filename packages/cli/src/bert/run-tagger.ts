/**
 * What `twner compare` needs of a trained model: tag pre-split tweets. Each model family
 * provides a {@link RunLoader} that recognises its run folders.
 */
import { loadBertRun } from './predict';
import { isBertRun } from './run-dir';

export interface RunTagger {
  /** `bert`, `bilstm-crf`, … */
  kind: string;
  /** [N][words] → [N][words] IOB2 tags. */
  tagWords(sentences: readonly (readonly string[])[]): Promise<string[][]>;
  dispose(): void;
}

/** Loads a run folder it recognises; `undefined` for folders of another model family. */
export type RunLoader = (runDir: string) => Promise<RunTagger | undefined>;

export const loadBertRunTagger: RunLoader = async (runDir) => {
  if (!(await isBertRun(runDir))) return undefined;
  const run = await loadBertRun(runDir);
  return {
    kind: 'bert',
    tagWords: async (sentences) => (await run.tagger.tagWords(sentences)).tags,
    dispose: () => run.dispose(),
  };
};
