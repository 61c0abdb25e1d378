/** The TensorFlow.js backends a lifetime may ask for (backend.ts loads them); no tfjs import, so flag tables and settings schemas can name them. */
export const backendChoices = ['auto', 'node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof backendChoices)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;
