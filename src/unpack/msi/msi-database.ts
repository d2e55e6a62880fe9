import { InputError } from '../../errors.js';
import type { Budget } from '../limits.js';
import type { StringPool } from './string-pool.js';

/**
 * Tables of an MSI database, decoded from their streams (`!_Tables`, `!_Columns`, then each table column by column): the
 * catalogue `!_Tables`, the column definitions `!_Columns`, then any `!<Table>` stream, whose
 * rows are stored column by column.
 */

const TYPE_STRING = 0x0800;
const TYPE_NULLABLE = 0x1000;
const TYPE_KEY = 0x2000;
const TYPE_VALID = 0x0100;

export interface MsiColumn {
  name: string;
  number: number;
  /** Raw type word from `_Columns`. */
  type: number;
  isString: boolean;
  isBinary: boolean;
  nullable: boolean;
  key: boolean;
  width: number;
}

export type MsiValue = string | number | null;

export interface MsiTable {
  name: string;
  columns: MsiColumn[];
  rows: MsiValue[][];
}

/** Stream contents by decoded name (`!File`, `\x05SummaryInformation`, `main.cab` …). */
export type StreamMap = ReadonlyMap<string, Uint8Array>;

export class MsiDatabase {
  readonly tableNames: string[];
  private readonly columns = new Map<string, MsiColumn[]>();
  private readonly cache = new Map<string, MsiTable>();

  constructor(
    private readonly streams: StreamMap,
    readonly pool: StringPool,
    private readonly chain: readonly string[],
    private readonly budget: Budget,
    private readonly warn: (m: string) => void,
  ) {
    const rs = pool.refSize;
    const tables = this.stream('!_Tables');
    this.tableNames = [];
    for (let o = 0; o + rs <= tables.length; o += rs) {
      this.tableNames.push(this.str(readRef(tables, o, rs), '!_Tables', o) ?? '');
    }
    // _Columns is itself a table: Table (string), Number (i16), Name (string), Type (i16).
    const colStream = this.stream('!_Columns');
    const rowSize = 2 * rs + 4;
    const n = Math.floor(colStream.length / rowSize);
    if (colStream.length % rowSize !== 0) warn(`!_Columns is ${colStream.length} bytes, not a whole number of ${rowSize}-byte rows`);
    const dv = new DataView(colStream.buffer, colStream.byteOffset, colStream.byteLength);
    for (let r = 0; r < n; r++) {
      const table = this.str(readRef(colStream, r * rs, rs), '!_Columns', r * rs);
      const numberRaw = dv.getUint16(n * rs + r * 2, true);
      const name = this.str(readRef(colStream, n * (rs + 2) + r * rs, rs), '!_Columns', n * (rs + 2) + r * rs);
      const typeRaw = dv.getUint16(n * (2 * rs + 2) + r * 2, true);
      if (table === undefined || name === undefined || numberRaw === 0 || typeRaw === 0) {
        throw new InputError(`!_Columns row ${r} has a null field`, chain);
      }
      const type = typeRaw - 0x8000;
      const isString = (type & TYPE_STRING) !== 0;
      // A binary (stream) column is "string + valid" with no size; it stores a 2-byte value.
      const isBinary = (type & ~TYPE_NULLABLE) === (TYPE_STRING | TYPE_VALID);
      const width = isBinary ? 2 : isString ? rs : (type & 0xff) === 4 ? 4 : 2;
      const col: MsiColumn = {
        name,
        number: numberRaw - 0x8000,
        type,
        isString: isString && !isBinary,
        isBinary,
        nullable: (type & TYPE_NULLABLE) !== 0,
        key: (type & TYPE_KEY) !== 0,
        width,
      };
      const list = this.columns.get(table) ?? [];
      list.push(col);
      this.columns.set(table, list);
    }
    for (const list of this.columns.values()) list.sort((a, b) => a.number - b.number);
  }

  hasTable(name: string): boolean {
    return this.columns.has(name);
  }

  /** A decoded table, or undefined when the database has no such table. */
  table(name: string): MsiTable | undefined {
    const hit = this.cache.get(name);
    if (hit) return hit;
    const columns = this.columns.get(name);
    if (!columns) return undefined;
    const bytes = this.streams.get(`!${name}`) ?? new Uint8Array(0);
    const rowSize = columns.reduce((s, c) => s + c.width, 0);
    if (rowSize === 0) return undefined;
    const n = Math.floor(bytes.length / rowSize);
    if (bytes.length % rowSize !== 0) this.warn(`table ${name}: ${bytes.length} bytes is not a whole number of ${rowSize}-byte rows`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const rows: MsiValue[][] = Array.from({ length: n }, () => []);
    let base = 0;
    for (const col of columns) {
      for (let r = 0; r < n; r++) {
        const at = base + r * col.width;
        let v: MsiValue;
        if (col.isString) {
          v = this.str(readRef(bytes, at, col.width as 2 | 3), `!${name}`, at) ?? null;
        } else if (col.width === 4) {
          const raw = dv.getUint32(at, true);
          v = raw === 0 ? null : (raw ^ 0x80000000) | 0;
        } else {
          const raw = dv.getUint16(at, true);
          v = raw === 0 ? null : col.isBinary ? raw : raw - 0x8000;
        }
        rows[r]!.push(v);
      }
      base += n * col.width;
    }
    const table: MsiTable = { name, columns, rows };
    this.cache.set(name, table);
    return table;
  }

  /** Rows as objects keyed by column name. */
  records(name: string): Record<string, MsiValue>[] {
    const t = this.table(name);
    if (!t) return [];
    return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i] ?? null])));
  }

  private stream(name: string): Uint8Array {
    const s = this.streams.get(name);
    if (!s) throw new InputError(`not an MSI database: no ${name} stream`, this.chain);
    this.budget.checkMetadata(s.length, name, this.chain);
    return s;
  }

  private str(id: number, where: string, at: number): string | undefined {
    if (id === 0) return undefined;
    if (id >= this.pool.strings.length) {
      throw new InputError(`${where}: string id ${id} is outside the string pool (${this.pool.strings.length} ids)`, this.chain, at);
    }
    // An id pointing at an unused slot reads as an empty string, as msiinfo shows it.
    return this.pool.strings[id] ?? '';
  }
}

function readRef(bytes: Uint8Array, at: number, size: 2 | 3): number {
  const v = bytes[at]! | (bytes[at + 1]! << 8);
  return size === 3 ? v | (bytes[at + 2]! << 16) : v;
}
