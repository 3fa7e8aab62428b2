import { type ShapeMismatch, WeightsMismatchError } from '../errors';
import type { SafetensorsTensor } from '../safetensors';
import type { ParameterSpec } from './parameters';

/** What loading a checkpoint did besides copying weights, as transformers' loading warnings. */
export interface LoadReport {
  /** Where the weights came from (a file path or hub id). */
  source: string;
  /** Parameters absent from the checkpoint (or resized) and initialised randomly: only the classifier may be. */
  newlyInitialized: string[];
  /** Checkpoint tensors the model does not use (pooler, masked-LM head, buffers). */
  unused: string[];
}

/**
 * Renames legacy checkpoint keys the way transformers does: LayerNorm `gamma`/`beta` →
 * `weight`/`bias`, and adds the `bert.` prefix to bare `BertModel` checkpoints.
 */
export function normalizeCheckpointNames(tensors: Map<string, SafetensorsTensor>): Map<string, SafetensorsTensor> {
  const bare = ![...tensors.keys()].some((k) => k.startsWith('bert.'));
  const out = new Map<string, SafetensorsTensor>();
  for (const [key, value] of tensors) {
    let name = key.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias');
    if (bare && (name.startsWith('embeddings.') || name.startsWith('encoder.') || name.startsWith('pooler.'))) name = `bert.${name}`;
    out.set(name, value);
  }
  return out;
}

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Pairs the parameters a config needs with the tensors of a checkpoint. Throws
 * {@link WeightsMismatchError} listing every missing or wrongly shaped encoder tensor; a missing
 * classifier (a base checkpoint such as bert-base-uncased), or one of another size when
 * `ignoreMismatchedSizes`, is reported as newly initialised.
 */
export function matchCheckpoint(
  specs: ParameterSpec[],
  tensors: Map<string, SafetensorsTensor>,
  source: string,
  options: { ignoreMismatchedSizes?: boolean } = {},
): { values: Map<string, Float32Array>; report: LoadReport } {
  const normalized = normalizeCheckpointNames(tensors);
  const values = new Map<string, Float32Array>();
  const missing: string[] = [];
  const mismatched: ShapeMismatch[] = [];
  const newlyInitialized: string[] = [];
  for (const spec of specs) {
    const isHead = spec.name.startsWith('classifier.');
    const t = normalized.get(spec.name);
    if (!t) {
      if (isHead) newlyInitialized.push(spec.name);
      else missing.push(spec.name);
    } else if (!sameShape(t.shape, spec.shape)) {
      if (isHead && options.ignoreMismatchedSizes) newlyInitialized.push(spec.name);
      else mismatched.push({ name: spec.name, expected: spec.shape, got: t.shape });
    } else {
      values.set(spec.name, t.data);
    }
  }
  if (missing.length > 0 || mismatched.length > 0) throw new WeightsMismatchError(missing, mismatched, source);
  const wanted = new Set(specs.map((s) => s.name));
  const unused = [...normalized.keys()].filter((k) => !wanted.has(k));
  return { values, report: { source, newlyInitialized, unused } };
}
