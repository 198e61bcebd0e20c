// In-memory tables of the emulated instance. Records are flat string maps keyed by sys_id, kept in
// insertion order (the default order of an unsorted listing). Journal entries (work notes, comments)
// live in sys_journal_field like on the platform, with an index by the record they belong to.
import { type SnRecord } from "./query-engine";
import { type TableDef } from "./schema";

export type StoreSnapshot = {
  version: 1;
  tables: Record<string, SnRecord[]>;
  /** Last number issued per table (INC0010001 → 10001). */
  numbers: Record<string, number>;
};

export type Store = {
  rows(table: string): IterableIterator<SnRecord>;
  count(table: string): number;
  get(table: string, sysId: string): SnRecord | undefined;
  /** Inserts or replaces a record (by sys_id). */
  put(table: string, record: SnRecord): void;
  remove(table: string, sysId: string): boolean;
  nextNumber(def: TableDef): string;
  /** Journal entries of one record (optionally one element), newest first. */
  journal(table: string, sysId: string, element?: string): SnRecord[];
  snapshot(): StoreSnapshot;
  restore(snapshot: StoreSnapshot): void;
  clear(): void;
};

const JOURNAL = "sys_journal_field";

export function createStore(): Store {
  const tables = new Map<string, Map<string, SnRecord>>();
  const numbers = new Map<string, number>();
  // element_id → entries (oldest first; read newest first).
  const journalIndex = new Map<string, SnRecord[]>();

  const table = (name: string) => {
    let t = tables.get(name);
    if (!t) {
      t = new Map();
      tables.set(name, t);
    }
    return t;
  };

  const indexJournal = (entry: SnRecord) => {
    const key = entry.element_id ?? "";
    const list = journalIndex.get(key);
    if (list) list.push(entry);
    else journalIndex.set(key, [entry]);
  };

  const store: Store = {
    rows: (name) => table(name).values(),
    count: (name) => table(name).size,
    get: (name, sysId) => table(name).get(sysId),
    put(name, record) {
      const sysId = record.sys_id;
      if (!sysId) throw new Error("record without sys_id");
      const t = table(name);
      const isNew = !t.has(sysId);
      t.set(sysId, record);
      if (name === JOURNAL && isNew) indexJournal(record);
    },
    remove(name, sysId) {
      const t = table(name);
      const existed = t.delete(sysId);
      if (existed && name !== JOURNAL) {
        // Like the platform's cascade: a deleted record's journal goes with it.
        for (const entry of journalIndex.get(sysId) ?? []) table(JOURNAL).delete(entry.sys_id!);
        journalIndex.delete(sysId);
      }
      return existed;
    },
    nextNumber(def) {
      const prefix = def.numberPrefix ?? "";
      const next = (numbers.get(def.name) ?? (def.numberStart ?? 1) - 1) + 1;
      numbers.set(def.name, next);
      return `${prefix}${String(next).padStart(7, "0")}`;
    },
    journal(name, sysId, element) {
      const entries = (journalIndex.get(sysId) ?? []).filter(
        (e) => e.name === name && (element === undefined || e.element === element) && table(JOURNAL).has(e.sys_id!),
      );
      return entries.reverse();
    },
    snapshot() {
      const out: StoreSnapshot = { version: 1, tables: {}, numbers: Object.fromEntries(numbers) };
      for (const [name, rows] of tables) out.tables[name] = [...rows.values()].map((r) => ({ ...r }));
      return out;
    },
    restore(snapshot) {
      store.clear();
      for (const [name, value] of Object.entries(snapshot.numbers)) numbers.set(name, value);
      for (const [name, rows] of Object.entries(snapshot.tables)) for (const r of rows) store.put(name, { ...r });
    },
    clear() {
      tables.clear();
      numbers.clear();
      journalIndex.clear();
    },
  };
  return store;
}
