export { type BackendName, BACKEND_NAMES, BACKEND_PREFERENCE, isBackendName } from './backend-name';
export { type BackendChoice, useBackend } from './use-backend';
export { registerMissingWasmKernels } from './wasm-kernel-bridge';
export { type BackendAttempt, BackendUnavailableError } from './errors';
