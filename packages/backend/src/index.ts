export { type BackendName, BACKEND_NAMES, BACKEND_PREFERENCE, isBackendName } from './backend-name';
export { type BackendChoice, type UseBackendOptions, useBackend } from './use-backend';
export { registerMissingWasmKernels } from './wasm-kernel-bridge';
export { type BackendAttempt, BackendUnavailableError } from './errors';
export { shareWasmIdentity } from './wasm-shared-identity';
