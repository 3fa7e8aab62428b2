import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** `../shared` of the repository, or `$TWNER_SHARED_DIR`. */
export const SHARED_DIR = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
export const FIXTURE_DIR = path.join(SHARED_DIR, 'fixtures/hf-tiny-bert');
export const TINY_MODEL_DIR = path.join(FIXTURE_DIR, 'model');

export interface ForwardFixture {
  words: string[][];
  tags: string[][];
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
  tokens: string[][];
  word_ids: (number | null)[][];
  logits: number[][][];
  hidden_states: number[][][][];
}

export interface TrainStepFixture {
  labels: number[][];
  loss: number;
  grad_norms: Record<string, number>;
  optimizer: { name: string; lr: number; beta1: number; beta2: number; eps: number; weight_decay: number };
  logits_after_step: number[][][];
}

const cache = new Map<string, unknown>();
function load<T>(file: string): T {
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), 'utf8')));
  return cache.get(file) as T;
}

export const forwardFixture = (): ForwardFixture => load<ForwardFixture>('forward.json');
export const trainStepFixture = (): TrainStepFixture => load<TrainStepFixture>('train_step.json');
