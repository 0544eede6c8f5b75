/**
 * Debtags records: the JSONL format of `data/debtags-bookworm.jsonl.gz` (see `data/README.md`),
 * parsed and validated from text. Browser-safe: no Node modules.
 */

/** One package of the debtags data set, as a line of the JSONL file holds it. */
export interface DebtagsRecord {
  /** Package name, unique in a file. */
  package: string;
  /** Debian section, e.g. `games`, `libs`. */
  section: string;
  /** One-line synopsis. */
  description: string;
  /** English long description, paragraphs joined with spaces (`''` when none). */
  long_description: string;
  /** Names of the packages in Depends (alternatives flattened, versions dropped). */
  depends: string[];
  /** Debtags, e.g. `implemented-in::c`, `role::program`. */
  tags: string[];
}

/**
 * A bad input line or file. The message starts with `source:line:` (`source` alone when the
 * problem is not tied to one line), as compilers report errors.
 */
export class DataError extends Error {
  /** The file name (or other source name) the data came from. */
  readonly source: string;
  /** The 1-based line number, or 0 when the error concerns the whole source. */
  readonly line: number;

  /**
   * @param source - File or stream name.
   * @param line - 1-based line number, 0 for the whole source.
   * @param what - What is wrong, e.g. `field 'tags' must be an array of strings`.
   */
  constructor(source: string, line: number, what: string) {
    super(line > 0 ? `${source}:${line}: ${what}` : `${source}: ${what}`);
    this.name = 'DataError';
    this.source = source;
    this.line = line;
  }
}

/** Options of {@link parseRecordLine} and {@link parseRecords}. */
export interface ParseRecordOptions {
  /**
   * Accept records with missing fields, filled with `''` or `[]` (for prediction input, which
   * has no tags); at least one of `package`, `description`, `long_description` must be there.
   * Fields that are present must still have the right types. Default `false`.
   */
  partial?: boolean;
}

const stringFields = ['package', 'section', 'description', 'long_description'] as const;
const arrayFields = ['depends', 'tags'] as const;

/** Type of a JSON value for messages: `null`, `array`, `number`, ... */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Validates one parsed JSON value as a record; returns what is wrong, or the record.
 * Unknown fields are ignored.
 */
function checkRecord(value: unknown, partial: boolean): DebtagsRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `expected a JSON object, got ${jsonType(value)}`;
  const object = value as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const field of stringFields) {
    const v = object[field];
    if (v === undefined && partial) {
      record[field] = '';
      continue;
    }
    if (v === undefined) return `missing field '${field}'`;
    if (typeof v !== 'string') return `field '${field}' must be a string, got ${jsonType(v)}`;
    record[field] = v;
  }
  if (!partial && record.package === '') return "field 'package' must not be empty";
  if (!partial && record.section === '') return "field 'section' must not be empty";
  if (partial && record.package === '' && record.description === '' && !record.long_description)
    return "a record needs at least one of 'package', 'description', 'long_description'";
  for (const field of arrayFields) {
    const v = object[field];
    if (v === undefined && partial) {
      record[field] = [];
      continue;
    }
    if (v === undefined) return `missing field '${field}'`;
    if (!Array.isArray(v))
      return `field '${field}' must be an array of strings, got ${jsonType(v)}`;
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (typeof item !== 'string' || item === '')
        return `field '${field}' must be an array of non-empty strings, but ${field}[${i}] is ${
          typeof item === 'string' ? 'empty' : jsonType(item)
        }`;
    }
    record[field] = v.slice();
  }
  const tags = record.tags as string[];
  const seen = new Set<string>();
  for (const tag of tags) {
    if (/\s/.test(tag)) return `tag ${JSON.stringify(tag)} contains white space`;
    if (seen.has(tag)) return `duplicate tag ${JSON.stringify(tag)}`;
    seen.add(tag);
  }
  return record as unknown as DebtagsRecord;
}

/**
 * Parses and validates one JSONL line.
 *
 * @param line - The text of the line (without its newline).
 * @param source - File name for error messages.
 * @param lineNumber - 1-based line number for error messages.
 * @param options - `partial` to accept records without tags and other fields.
 * @returns The record.
 * @throws {@link DataError} `source:line: what is wrong` for invalid JSON or a bad record.
 */
export function parseRecordLine(
  line: string,
  source: string,
  lineNumber: number,
  options: ParseRecordOptions = {},
): DebtagsRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new DataError(source, lineNumber, `invalid JSON (${(error as Error).message})`);
  }
  const checked = checkRecord(value, options.partial ?? false);
  if (typeof checked === 'string') throw new DataError(source, lineNumber, checked);
  return checked;
}

/** Options of {@link parseRecords}. */
export interface ParseRecordsOptions extends ParseRecordOptions {
  /** Report at most this many bad lines in the thrown error (default 10). */
  maxErrors?: number;
}

/**
 * Parses a JSONL text of records. Blank lines are skipped; every other line must be a valid
 * record, and package names must be unique.
 *
 * @param text - The whole JSONL text (`\n` or `\r\n` line ends).
 * @param source - File name for error messages.
 * @param options - `partial` (see {@link ParseRecordOptions}), `maxErrors` (default 10).
 * @returns The records in file order.
 * @throws {@link DataError} listing the first `maxErrors` bad lines, one `source:line: what` a
 *   line (the error's `line` is the first one), or `source: no records` for an empty text.
 */
export function parseRecords(
  text: string,
  source: string,
  options: ParseRecordsOptions = {},
): DebtagsRecord[] {
  const maxErrors = options.maxErrors ?? 10;
  const records: DebtagsRecord[] = [];
  const errors: DataError[] = [];
  let badLines = 0;
  const firstLine = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') continue;
    try {
      const record = parseRecordLine(line, source, i + 1, options);
      if (record.package !== '') {
        const first = firstLine.get(record.package);
        if (first !== undefined)
          throw new DataError(
            source,
            i + 1,
            `duplicate package ${JSON.stringify(record.package)} (first on line ${first})`,
          );
        firstLine.set(record.package, i + 1);
      }
      records.push(record);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      badLines++;
      if (errors.length < maxErrors) errors.push(error);
    }
  }
  if (errors.length > 0) {
    const more = badLines > errors.length ? `\n(${badLines - errors.length} more bad lines)` : '';
    const combined = new DataError(source, errors[0].line, '');
    combined.message = errors.map((e) => e.message).join('\n') + more;
    throw combined;
  }
  if (records.length === 0) throw new DataError(source, 0, 'no records');
  return records;
}
