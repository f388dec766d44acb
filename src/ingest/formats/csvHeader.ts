// Column names from a CSV header line, named as DuckDB's sniffer names them (trimmed, unquoted, empty names as
// column0.., repeats as name_1..), for files the sniffer gives up on: a malformed row among the rows it samples
// makes it fail the whole read, where the reader proper would only reject that row.

/**
 * The header's column names.
 *
 * @example
 * headerNames(' a ,"b c",,a', ','); // ['a', 'b c', 'column2', 'a_1']
 */
export function headerNames(header: string, delimiter: string): string[] {
  const raw = splitFields(header.replace(/^\ufeff/, ''), delimiter);
  const width = String(raw.length - 1).length;
  const seen = new Map<string, number>();
  return raw.map((name, i) => {
    let out = name === '' ? `column${String(i).padStart(raw.length > 10 ? width : 1, '0')}` : name;
    const key = out.toLowerCase();
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    if (count > 0) out = `${out}_${count}`;
    return out;
  });
}

/** Fields of one line: a quote opens a field only at its start (after spaces), "" inside quotes is a quote. */
function splitFields(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    const lead = line.slice(i).match(/^ */)![0].length;
    if (line[i + lead] === '"') {
      let j = i + lead + 1;
      for (; j < line.length; j++) {
        if (line[j] !== '"') field += line[j];
        else if (line[j + 1] === '"') {
          field += '"';
          j++;
        } else break;
      }
      const end = line.indexOf(delimiter, j);
      i = end < 0 ? line.length : end;
    } else {
      const end = line.indexOf(delimiter, i);
      field = line.slice(i, end < 0 ? line.length : end).trim();
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i += delimiter.length;
    if (i === line.length) return [...fields, ''];
  }
}
