// Every message of the TensorFlow.js layer as a function in one place (tests compare against these).

export const tfMsg = {
  unknownBackend: (name: string) => `unknown TensorFlow.js backend "${name}"; expected one of tensorflow, wasm, cpu`,
  backendUnavailable: (name: string, detail: string) => `the TensorFlow.js ${name} backend is not available here: ${detail}`,
  failed: (what: string, backend: string, detail: string) => `${what} failed on the TensorFlow.js ${backend} backend: ${detail}`,
  fileMissing: (file: string) => `model file not found: ${file}`,
  notModelJson: (file: string, detail: string) => `${file}: not a TensorFlow.js model.json: ${detail}`,
};
