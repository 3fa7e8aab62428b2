/** The tfjs backends `selectBackend` can pick (`auto`: tfjs-node-gpu → tfjs-node → wasm → cpu). */
export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
