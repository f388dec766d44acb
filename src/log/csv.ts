// CSV text: the one field rule every CSV recgap writes follows. Fields are quoted as RFC 4180 asks, and text
// that a spreadsheet would run as a formula (a log's person or key id such as `=HYPERLINK(...)` reaching
// requests.csv) is neutralised as OWASP advises: a cell beginning with =, +, -, @, a tab or a carriage
// return gets a leading apostrophe, unless the whole cell is a plain number (a spreadsheet reads that as
// a number, never as a formula).

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV field: neutralised when it would start a formula, then quoted when needed (RFC 4180).
 *
 * @example
 * csvField('a,b')              // '"a,b"'
 * csvField('=HYPERLINK("x")')  // `"'=HYPERLINK(""x"")"`
 * csvField('-12.5')            // '-12.5'
 */
export function csvField(s: string): string {
  const safe = FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
