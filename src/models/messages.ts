// Every message of the model layer as a function in one place: tests compare against these.

export const modelMsg = {
  tooManyItemsForEase: (name: string, items: number, max: number) =>
    `models.${name}: ease inverts a dense items x items matrix (items^3 float64 operations, items^2 x 12 bytes); the log has ${items.toLocaleString('en-US')} items, above its limit of ${max.toLocaleString('en-US')}; use mf or itemknn`,
  notPositiveDefinite: (name: string, lambda: number) => `models.${name}: the ease Gram matrix is not positive definite with lambda ${lambda}; raise lambda`,
  noTrainingSequences: (name: string) => `models.${name}: no training person has two or more events: nothing to learn a sequence from`,
  savedNotFound: (dir: string) => `saved model not found: ${dir}/model.json`,
  savedWeightsMissing: (file: string) => `saved model weights not found: ${file}`,
  savedInvalid: (file: string, detail: string) => `${file}: not a saved recgap model: ${detail}`,
  savedWrongSize: (file: string, expected: number, got: number) => `${file}: expected ${expected} bytes of weights, found ${got}`,
  cannotSave: (name: string, type: string) =>
    `model "${name}" (${type}) cannot be saved; saveable types: popularity, recency-popularity, itemknn, ease, mf, gru4rec`,
  noKnownItems: (name: string, file: string) => `models.${name}: none of the items in ${file} occur in the log`,
  itemIdsLength: (file: string, expected: number, got: number) => `${file}: the model scores ${expected} items but the id list has ${got}`,
  itemIdsMissing: (file: string) => `item id list not found: ${file}`,
  itemIdsInvalid: (file: string) => `${file}: expected a JSON array of item ids (strings or numbers)`,
  tfjsInputShape: (name: string, shape: string, input: string) => `models.${name}: the model's input shape ${shape} does not fit input "${input}"`,
  tfjsOutputShape: (name: string, shape: string, items: number) =>
    `models.${name}: the model's output shape ${shape} does not give one score per item (${items} items)`,
};
