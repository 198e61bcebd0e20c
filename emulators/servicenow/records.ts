// Record operations shared by the Table API, the Defender CC integration and the control API: insert,
// update, delete with the instance's input rules, business rules and journal, and a hook for the
// outbound webhook ("after update" business rule).
import { randomBytes } from "node:crypto";
import { HttpError } from "../common/http";
import { type Actor, applyBusinessRules, insertDefaults } from "./business-rules";
import { formatSnDateTime } from "./dates";
import { type InputContext, normalizeInput } from "./input";
import { type SnRecord, runQuery } from "./query-engine";
import { type ResolvedTable } from "./schema";
import { type RenderContext } from "./serialize";
import { type Store } from "./store";

export type WriteOptions = { useDisplayValue: boolean; isForced?: boolean };

export type RecordService = {
  ctx: RenderContext & InputContext;
  list(table: ResolvedTable, query: string | null): { rows: SnRecord[]; ignored: string[] };
  get(table: ResolvedTable, sysId: string): SnRecord | undefined;
  insert(table: ResolvedTable, input: Record<string, string>, actor: Actor, options: WriteOptions): SnRecord;
  update(
    table: ResolvedTable,
    sysId: string,
    input: Record<string, string>,
    actor: Actor,
    options: WriteOptions,
  ): { record: SnRecord; changed: string[] };
  remove(table: ResolvedTable, sysId: string): void;
  /** Forget caches derived from the store (after reset/restore). */
  invalidate(): void;
};

export type RecordHooks = {
  /** Called after a committed update that changed something (not on insert, like an "after update" rule). */
  onUpdate?(table: ResolvedTable, record: SnRecord, changed: string[]): void;
  /** Data policies: a refusal for the record about to be stored (insert and update), or null. */
  checkPolicies?(table: ResolvedTable, record: SnRecord): { status: number; message: string; detail: string } | null;
};

export const notFound = () =>
  new HttpError(404, "RecordNotFound", "No Record found", {}, "Record doesn't exist or ACL restricts the record retrieval");

const SYS_ID = /^[0-9a-f]{32}$/;

export function createRecordService(store: Store, now: () => number, hooks: RecordHooks = {}): RecordService {
  let userNames: Map<string, string> | null = null;

  const ctx: RenderContext & InputContext = {
    lookup: (table, sysId) => store.get(table, sysId),
    rows: (table) => store.rows(table),
    journalEntries: (table, sysId, element) => store.journal(table, sysId, element),
    journalText: (table, sysId, element) =>
      store
        .journal(table, sysId, element)
        .map((e) => e.value)
        .join("\n"),
    userDisplayName(userName) {
      if (!userNames) {
        userNames = new Map();
        for (const u of store.rows("sys_user")) userNames.set(u.user_name ?? "", u.name ?? "");
      }
      return userNames.get(userName) || userName;
    },
  };

  const inClass = (table: ResolvedTable, rec: SnRecord | undefined) =>
    rec !== undefined && (table.className === undefined || rec.sys_class_name === table.className);

  const addJournal = (
    table: ResolvedTable,
    sysId: string,
    entries: Array<{ element: string; value: string }>,
    actor: Actor,
    at: string,
  ) => {
    for (const entry of entries) {
      store.put("sys_journal_field", {
        sys_id: randomBytes(16).toString("hex"),
        sys_created_on: at,
        sys_created_by: actor.userName,
        sys_updated_on: at,
        sys_updated_by: actor.userName,
        sys_mod_count: "0",
        name: table.storage,
        element: entry.element,
        element_id: sysId,
        value: entry.value,
      });
    }
  };

  const touched = (table: ResolvedTable) => {
    if (table.storage === "sys_user") userNames = null;
  };

  const ruleFailure = (error: { status: number; message: string; detail: string }) =>
    new HttpError(error.status, "OperationFailed", error.message, {}, error.detail);

  const service: RecordService = {
    ctx,
    list(table, query) {
      const rows = table.className ? [...store.rows(table.storage)].filter((r) => inClass(table, r)) : store.rows(table.storage);
      return runQuery(table.def, rows, query, ctx);
    },
    get(table, sysId) {
      const rec = store.get(table.storage, sysId);
      return inClass(table, rec) ? rec : undefined;
    },
    insert(table, input, actor, options) {
      const at = formatSnDateTime(now());
      const rec = insertDefaults(table.def, table.storage, actor, at);
      const requestedId = (input.sys_id ?? "").toLowerCase();
      rec.sys_id = SYS_ID.test(requestedId) && !store.get(table.storage, requestedId) ? requestedId : randomBytes(16).toString("hex");
      if (table.className) rec.sys_class_name = table.className;
      const normalized = normalizeInput(table.def, table.storage, input, { useDisplayValue: options.useDisplayValue }, ctx);
      Object.assign(rec, normalized.values);
      const changedFields = new Set([...Object.keys(normalized.values), ...normalized.journal.map((j) => j.element)]);
      const failure = applyBusinessRules(table.def, table.storage, null, rec, actor, at, { isForced: options.isForced, changedFields });
      if (failure) throw ruleFailure(failure);
      const refusal = hooks.checkPolicies?.(table, rec);
      if (refusal) throw ruleFailure(refusal);
      if (table.def.numberPrefix) rec.number = store.nextNumber(table.def);
      store.put(table.storage, rec);
      addJournal(table, rec.sys_id, normalized.journal, actor, at);
      touched(table);
      return rec;
    },
    update(table, sysId, input, actor, options) {
      const before = service.get(table, sysId);
      if (!before) throw notFound();
      const at = formatSnDateTime(now());
      const normalized = normalizeInput(table.def, table.storage, input, { useDisplayValue: options.useDisplayValue }, ctx);
      const after: SnRecord = { ...before, ...normalized.values };
      const changed = Object.keys(normalized.values).filter((f) => after[f] !== before[f]);
      const journalElements = [...new Set(normalized.journal.map((j) => j.element))];
      // Nothing changed: the platform skips the update (no sys_mod_count bump, no business rules).
      if (changed.length === 0 && journalElements.length === 0) return { record: before, changed: [] };
      const changedFields = new Set([...changed, ...journalElements]);
      const failure = applyBusinessRules(table.def, table.storage, before, after, actor, at, { isForced: options.isForced, changedFields });
      if (failure) throw ruleFailure(failure);
      const refusal = hooks.checkPolicies?.(table, after);
      if (refusal) throw ruleFailure(refusal);
      after.sys_updated_on = at;
      after.sys_updated_by = actor.userName;
      after.sys_mod_count = String(Number(before.sys_mod_count || "0") + 1);
      store.put(table.storage, after);
      addJournal(table, sysId, normalized.journal, actor, at);
      touched(table);
      const allChanged = Object.keys(after).filter((f) => after[f] !== before[f] && !f.startsWith("sys_"));
      const reported = [...new Set([...allChanged, ...journalElements])];
      hooks.onUpdate?.(table, after, reported);
      return { record: after, changed: reported };
    },
    remove(table, sysId) {
      if (!service.get(table, sysId)) throw notFound();
      store.remove(table.storage, sysId);
      touched(table);
    },
    invalidate() {
      userNames = null;
    },
  };
  return service;
}
