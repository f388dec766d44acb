// Quoting for the SQL text the readers build: every user-supplied name or value passes through one of these.

/**
 * A SQL string literal.
 *
 * @example
 * lit("it's") // "'it''s'"
 */
export const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/**
 * A quoted SQL identifier.
 *
 * @example
 * ident('user id') // '"user id"'
 */
export const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/**
 * A DuckDB struct/map literal of named options, e.g. for `columns={...}` in `read_csv`.
 *
 * @example
 * structLit({ a: 'VARCHAR' }) // "{'a': 'VARCHAR'}"
 */
export const structLit = (entries: Record<string, string>): string =>
  `{${Object.entries(entries)
    .map(([k, v]) => `${lit(k)}: ${lit(v)}`)
    .join(', ')}}`;
