// CSV text: the one field quoting rule every CSV recgap writes follows.
/**
 * Quote a CSV field when needed (RFC 4180).
 *
 * @example
 * csvField('a,b') // '"a,b"'
 */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
