// Names are identifiers. A model or pipeline name becomes part of requests.csv column names
// (`<model>.<view>.<metric>`, `age_ms.<pipeline>`), a folder of the output (`models/<model>/`) and a key of
// results.json records, so it has a fixed character set and length and may not be a word those already
// use: `frozen` is the offline view's label beside the pipelines' (a pipeline named frozen duplicated the
// `knn.frozen.*` columns), JavaScript object keys would read a record's inherited property instead of a
// missing entry, and Windows cannot create a folder named after one of its devices. The scenario name
// names the output folder and keeps its own, older rule (dots allowed).

/** Longest model or pipeline name. */
export const NAME_MAX_LENGTH = 40;

/** A letter, then letters, digits, `_` or `-`: safe in a CSV header, a path segment and a YAML key. */
export const NAME_PATTERN = new RegExp(`^[A-Za-z][A-Za-z0-9_-]{0,${NAME_MAX_LENGTH - 1}}$`);

/** What a model or pipeline name may be, as the messages say it. */
export const NAME_RULE = `a name of 1 to ${NAME_MAX_LENGTH} characters: a letter, then letters, digits, _ or -`;

/** The scenario name: it names the output folder (`OUT/<name>/`, `<name>-sweep/`, `<name>.shard-i-of-n/`). */
export const SCENARIO_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const SCENARIO_NAME_MAX_LENGTH = 100;

/** Reserved words by why they are reserved; compared without case. */
const RESERVED: ReadonlyArray<{ words: readonly string[]; rule: string }> = [
  {
    words: ['frozen'],
    rule: 'a name other than frozen, which names the offline view (requests.csv columns <model>.frozen.<metric>, results.json views)',
  },
  {
    // Object.prototype's own keys that fit NAME_PATTERN (the __ ones cannot).
    words: ['constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf'],
    rule: 'a name other than constructor, hasOwnProperty, isPrototypeOf, propertyIsEnumerable, toLocaleString, toString or valueOf (keys every JavaScript object has)',
  },
  {
    words: ['con', 'prn', 'aux', 'nul', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`com${i}`, `lpt${i}`])],
    rule: 'a name other than con, prn, aux, nul, com1-com9 or lpt1-lpt9 (device names Windows reserves for files)',
  },
];
const RESERVED_BY_WORD = new Map(RESERVED.flatMap((r) => r.words.map((w) => [w.toLowerCase(), r.rule] as const)));

/** Every message nameProblem can return (the scenario schema prints them as they are). */
export const NAME_RULES: readonly string[] = [NAME_RULE, ...RESERVED.map((r) => r.rule)];

/**
 * What is wrong with a model or pipeline name, as "what is allowed" text; null when it is a valid name.
 *
 * @example
 * nameProblem('weekly-batch') // null
 * nameProblem('../x') // 'a name of 1 to 40 characters: a letter, then letters, digits, _ or -'
 * nameProblem('frozen') // 'a name other than frozen, which names the offline view (...)'
 */
export function nameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) return NAME_RULE;
  return RESERVED_BY_WORD.get(name.toLowerCase()) ?? null;
}

/**
 * Whether a scenario name is a safe output folder name.
 *
 * @example
 * isScenarioName('online-retail') // true
 * isScenarioName('../x') // false
 */
export function isScenarioName(name: unknown): boolean {
  return typeof name === 'string' && name.length <= SCENARIO_NAME_MAX_LENGTH && SCENARIO_NAME_PATTERN.test(name);
}
