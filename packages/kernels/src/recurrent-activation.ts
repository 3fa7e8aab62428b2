import { ValueError } from './errors';

/**
 * The gate activation of the LSTM (gates i, f, o).
 *
 * - `'hardSigmoid'`: `clip(0.2·z + 0.5, 0, 1)`, the tfjs-layers 4.x default.
 * - `'sigmoid'`: `1 / (1 + e^-z)`, the Keras 2 / PyTorch default.
 */
export type RecurrentActivation = 'hardSigmoid' | 'sigmoid';

/** Checks an activation name coming from a config object. */
export function checkRecurrentActivation(op: string, value: unknown): RecurrentActivation {
  if (value === 'hardSigmoid' || value === 'sigmoid') return value;
  throw new ValueError(op, 'recurrentActivation', `must be 'hardSigmoid' or 'sigmoid', got ${JSON.stringify(value)}`);
}
