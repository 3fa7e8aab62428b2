import { EXIT_USAGE, TaggerError } from '@twner/tagger';

/** `@twner/tagger/train`, loaded only by the commands that train or use the tfjs engine. */
export async function importTrain(): Promise<typeof import('@twner/tagger/train')> {
  try {
    return await import('@twner/tagger/train');
  } catch (error) {
    const missing = /Cannot find (module|package) '@tensorflow\/tfjs/.test(String((error as Error).message));
    if (!missing) throw error;
    throw new TaggerError(
      'this command needs TensorFlow.js, which is not installed: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm ' +
        '(and @tensorflow/tfjs-node for speed where it installs); tagging with `twner predict` needs none of them',
      EXIT_USAGE,
      { code: 'TWNER_NO_TFJS', cause: error },
    );
  }
}
