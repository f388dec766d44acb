// CSV text. Every field is quoted as RFC 4180 asks (csvField). Tables meant for people and spreadsheets
// (requests.csv, sweep.csv) also neutralise text a spreadsheet would run as a formula, as OWASP advises
// (spreadsheetField): a log's id such as `=HYPERLINK(...)` gets a leading apostrophe. The event log that
// `recgap generate` writes is data to be read back, so it keeps every id exactly.

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A CSV field, quoted when needed (RFC 4180); the text is kept exactly.
 *
 * @example
 * csvField('a,b') // '"a,b"'
 * csvField('=x')  // '=x'
 */
export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A CSV field for a spreadsheet: a cell beginning with =, +, -, @, a tab or a carriage return gets a leading
 * apostrophe unless the whole cell is a plain number (read as a number, never as a formula), then quoted.
 *
 * @example
 * spreadsheetField('=HYPERLINK("x")')  // `"'=HYPERLINK(""x"")"`
 * spreadsheetField('-12.5')            // '-12.5'
 */
export function spreadsheetField(s: string): string {
  return csvField(FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s);
}
