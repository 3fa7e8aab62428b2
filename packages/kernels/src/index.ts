export { KernelError, ShapeError, ValueError } from './errors';
export { type RecurrentActivation } from './recurrent-activation';
export { lstmSequence, type LstmSequenceOptions } from './lstm-sequence';
