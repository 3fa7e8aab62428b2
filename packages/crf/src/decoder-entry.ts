// `@twner/crf/decoder`: decoding without tfjs (nothing here imports `@tensorflow/tfjs`), for
// serving in Node or a browser.
export { CrfError, NonFiniteError, ShapeError, ValueError, type CrfErrorCode } from './errors';
export {
  allowedTransitions,
  constraintPenalties,
  isAllowedPath,
  DEFAULT_PENALTY,
  type AllowedTransitionsOptions,
  type ConstraintPenalties,
  type TransitionConstraints,
} from './transitions';
export { CRFDecoder, viterbi, type CrfWeights, type DecodedPath } from './decoder';
export { averageCrfWeights } from './average';
