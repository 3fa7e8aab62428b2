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
export type { CrfOptions } from './validate';
export { crfSequenceScore } from './score';
export { crfLogNorm } from './forward';
export { crfLogLikelihood, crfNegLogLikelihood, type CrfLossOptions, type CrfReduction } from './loss';
export { crfDecode, type CrfDecodeResult } from './viterbi';
export { crfMarginals } from './marginals';
export { crfNBest, type CrfNBestResult } from './nbest';
export { CRF, crfLoss, registerCrfLayer, type CRFLayerArgs } from './layer';
export { CRFDecoder, viterbi, type CrfWeights, type DecodedPath } from './decoder';
export { averageCrfWeights } from './average';
