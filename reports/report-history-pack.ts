/**
 * Compact, exact encoding of history.jsonl lines for the report's embedded data. A history line
 * repeats the same keys ("index", "timeMs", "value", "seq", …) and the same long error strings
 * thousands of times; here each object becomes [shapeIndex, ...values] (its key list stored once)
 * and each long string an index into one string table, which cuts the lines to about a third.
 * The page rebuilds the text with JSON.stringify, so a line is packed only when that gives back
 * exactly the line in the file; any other line travels as its raw text.
 */

/** Strings at least this long go to the string table (shorter ones cost less inline). */
const MIN_TABLE_STRING = 12;

/** A packed line: the raw text (a string) or a packed JSON object (an array). */
export type PackedLine = string | PackedValue[];
export type PackedValue = null | boolean | number | string | PackedValue[] | { a: PackedValue[] } | { s: number };

export interface PackTables {
  /** Key lists of the packed objects; an object is [index into shapes, ...its values in key order]. */
  shapes: string[][];
  /** Long strings; `{ s: i }` stands for strings[i]. */
  strings: string[];
}

/** Packs lines for one report; the tables are shared by every scenario in it. */
export class HistoryPacker {
  private readonly shapeIds = new Map<string, number>();
  private readonly stringIds = new Map<string, number>();
  readonly tables: PackTables = { shapes: [], strings: [] };

  packLine(text: string): PackedLine {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text;
    }
    if (!isPlainObject(parsed) || JSON.stringify(parsed) !== text) return text;
    return this.pack(parsed) as PackedValue[];
  }

  /** Any other string of the report (errors, outcomes) through the same table when long. */
  text(value: string): PackedValue {
    return value.length >= MIN_TABLE_STRING ? { s: this.stringId(value) } : value;
  }

  private pack(value: unknown): PackedValue {
    if (Array.isArray(value)) return { a: value.map((v) => this.pack(v)) };
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      return [this.shapeId(keys), ...keys.map((k) => this.pack(value[k]))];
    }
    if (typeof value === 'string' && value.length >= MIN_TABLE_STRING) return { s: this.stringId(value) };
    return value as PackedValue;
  }

  private shapeId(keys: string[]): number {
    const id = JSON.stringify(keys);
    let found = this.shapeIds.get(id);
    if (found === undefined) {
      found = this.tables.shapes.length;
      this.tables.shapes.push(keys);
      this.shapeIds.set(id, found);
    }
    return found;
  }

  private stringId(text: string): number {
    let found = this.stringIds.get(text);
    if (found === undefined) {
      found = this.tables.strings.length;
      this.tables.strings.push(text);
      this.stringIds.set(text, found);
    }
    return found;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The page's inverse of HistoryPacker, as ES2017 source text (shipped inside the page script and
 * evaluated by the unit test, so the tested code is the shipped code).
 */
export const UNPACK_SOURCE = `
function unpackLine(packed, tables) {
  if (typeof packed === 'string') return packed;
  return JSON.stringify(unpackValue(packed, tables));
}
function unpackValue(v, tables) {
  if (Array.isArray(v)) {
    var keys = tables.shapes[v[0]], out = Object.create(null);
    for (var i = 0; i < keys.length; i++) out[keys[i]] = unpackValue(v[i + 1], tables);
    return out;
  }
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v.a)) return v.a.map(function (x) { return unpackValue(x, tables); });
    return tables.strings[v.s];
  }
  return v;
}
`;
