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

/** How {@link matchCheckpoint} may start a new classifier head. */
export interface HeadOptions {
  /** A checkpoint with no classifier at all (a base model) gets a new, randomly initialised one. */
  allowNewHead?: boolean;
  /** A classifier of another size is replaced by a new one; also allows a missing head, as both start a new one. */
  ignoreMismatchedSizes?: boolean;
}

const HEAD_PREFIX = 'classifier.';

/**
 * Pairs the parameters a config needs with the tensors of a checkpoint. Throws
 * {@link WeightsMismatchError} listing every missing or wrongly shaped tensor, with what to do.
 * The classifier head is new only when asked for: absent altogether (a base checkpoint such as
 * bert-base-uncased) with `allowNewHead` or `ignoreMismatchedSizes`, or of another size with
 * `ignoreMismatchedSizes`; those are reported as newly initialised. A head partly present
 * (`classifier.weight` without `classifier.bias`) is always an error: the file is damaged.
 */
export function matchCheckpoint(
  specs: ParameterSpec[],
  tensors: Map<string, SafetensorsTensor>,
  source: string,
  options: HeadOptions = {},
): { values: Map<string, Float32Array>; report: LoadReport } {
  const normalized = normalizeCheckpointNames(tensors);
  const values = new Map<string, Float32Array>();
  const missing: string[] = [];
  const mismatched: ShapeMismatch[] = [];
  const newlyInitialized: string[] = [];
  const head = specs.filter((spec) => spec.name.startsWith(HEAD_PREFIX)).map((spec) => spec.name);
  const headPresent = head.filter((name) => normalized.has(name));
  const headAbsent = headPresent.length === 0;
  const headPartial = !headAbsent && headPresent.length < head.length;
  const mayStartHead = options.allowNewHead === true || options.ignoreMismatchedSizes === true;
  for (const spec of specs) {
    const isHead = spec.name.startsWith(HEAD_PREFIX);
    const t = normalized.get(spec.name);
    if (!t) {
      if (isHead && headAbsent && mayStartHead) newlyInitialized.push(spec.name);
      else missing.push(spec.name);
    } else if (!sameShape(t.shape, spec.shape)) {
      if (isHead && !headPartial && options.ignoreMismatchedSizes) newlyInitialized.push(spec.name);
      else mismatched.push({ name: spec.name, expected: spec.shape, got: t.shape });
    } else {
      values.set(spec.name, t.data);
    }
  }
  if (missing.length > 0 || mismatched.length > 0) {
    const fixes: string[] = [];
    const missingHead = missing.filter((name) => name.startsWith(HEAD_PREFIX));
    if (headPartial && missingHead.length > 0) {
      fixes.push(
        `The token-classification head is incomplete (${headPresent.join(', ')} present, ${missingHead.join(', ')} missing), so the file is damaged ` +
          'or was saved partly: save it again (save_pretrained); allowNewHead does not apply to a partial head',
      );
    } else if (missingHead.length > 0) {
      fixes.push(
        `The checkpoint has no token-classification head (${missingHead.join(', ')}), as a base model such as bert-base-uncased: ` +
          'to fine-tune it, pass { allowNewHead: true } (with labels) to start a new, randomly initialised head; to predict, load a checkpoint trained for token classification',
      );
    }
    if (missing.length > missingHead.length || mismatched.some((m) => !m.name.startsWith(HEAD_PREFIX))) {
      fixes.push('Check that config.json belongs to these weights (vocab_size, hidden_size, num_hidden_layers, intermediate_size), or save the checkpoint again with save_pretrained');
    }
    if (mismatched.some((m) => m.name.startsWith(HEAD_PREFIX)) && !headPartial) {
      fixes.push('The classifier has another number of labels: pass { ignoreMismatchedSizes: true } to start a new head for these labels');
    }
    throw new WeightsMismatchError(missing, mismatched, source, fixes.join('. '));
  }
  const wanted = new Set(specs.map((s) => s.name));
  const unused = [...normalized.keys()].filter((k) => !wanted.has(k));
  return { values, report: { source, newlyInitialized, unused } };
}
