import "server-only";

// The ticket conversation read live from ServiceNow: the record's description, and its journal —
// sys_journal_field rows of the record (element work_notes / comments), newest first — which is how
// the Table API exposes journal fields (reading `work_notes` on the record itself gives no history).
// Adding a work note or comment PATCHes the journal field on the record (the platform appends an entry),
// then reads the new entry back; it is audited as `ticket.journal`.
import { type Actor } from "@/lib/auth/actor";
import { audit } from "@/lib/audit/audit";
import { assertRole } from "@/lib/auth/authorize";
import { serviceNowClientFor, WITH_CREDENTIALS } from "@/lib/connections/client";
import { db } from "@/lib/db";
import { AppError } from "@/lib/http/errors";
import { type ServiceNowClient } from "@/lib/servicenow/client";
import { parseServiceNowDateTime } from "@/lib/servicenow/dates";
import { q } from "@/lib/servicenow/query";
import { type ServiceNowTable } from "@/lib/servicenow/fields";
import {
  JOURNAL_ELEMENTS,
  type TAddJournalEntry,
  type TJournalElement,
  type TJournalEntry,
  type TTicketConversation,
} from "@/lib/schemas/ticket-conversation";
import { ticketSla } from "./sla";

const JOURNAL_LIMIT = 200;

type Row = NonNullable<Awaited<ReturnType<typeof loadTicket>>>;

async function loadTicket(id: string) {
  return db().ticket.findUnique({ where: { id }, include: { connection: { omit: WITH_CREDENTIALS } } });
}

async function ticketOrThrow(id: string): Promise<Row> {
  const ticket = await loadTicket(id);
  if (!ticket) throw new AppError("NOT_FOUND", { message: "No such ticket" });
  return ticket;
}

const str = (v: unknown): string =>
  typeof v === "string" ? v : v && typeof v === "object" && "value" in v && typeof v.value === "string" ? v.value : "";

function isJournalElement(v: string): v is TJournalElement {
  return (JOURNAL_ELEMENTS as readonly string[]).includes(v);
}

async function userNames(client: ServiceNowClient, userNamesWanted: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (userNamesWanted.length === 0) return out;
  const page = await client.list("sys_user", {
    query: q().in("user_name", userNamesWanted),
    fields: ["user_name", "name"],
    limit: userNamesWanted.length,
  });
  for (const r of page.records) out.set(str(r.user_name), str(r.name));
  return out;
}

async function readJournal(client: ServiceNowClient, table: string, sysId: string, limit = JOURNAL_LIMIT): Promise<TJournalEntry[]> {
  const page = await client.list("sys_journal_field", {
    query: q()
      .eq("name", table)
      .eq("element_id", sysId)
      .in("element", [...JOURNAL_ELEMENTS])
      .orderByDesc("sys_created_on"),
    fields: ["sys_id", "sys_created_on", "sys_created_by", "element", "value"],
    limit,
  });
  const rows = page.records.filter((r) => isJournalElement(str(r.element)));
  const names = await userNames(client, [...new Set(rows.map((r) => str(r.sys_created_by)).filter(Boolean))]);
  return rows.map((r) => ({
    id: str(r.sys_id),
    element: str(r.element) as TJournalElement,
    text: str(r.value),
    createdAt: parseServiceNowDateTime(str(r.sys_created_on))?.toISOString() ?? null,
    createdBy: str(r.sys_created_by),
    createdByName: names.get(str(r.sys_created_by)) ?? null,
  }));
}

export async function getConversation(actor: Actor, id: string, now = new Date()): Promise<TTicketConversation> {
  assertRole(actor, "manager", "Reading tickets");
  const ticket = await ticketOrThrow(id);
  const client = await serviceNowClientFor(ticket.connection);
  const table = ticket.table as ServiceNowTable;
  const [record, entries] = await Promise.all([
    client.get(table, ticket.sysId, { fields: ["sys_id", "description"] }),
    readJournal(client, ticket.table, ticket.sysId),
  ]);
  if (!record)
    throw new AppError("UPSTREAM_NOT_FOUND", {
      message: `${ticket.number} no longer exists in ServiceNow (or the integration user may not read it)`,
    });
  return {
    ticketId: ticket.id,
    description: str(record.description),
    entries,
    sla: ticketSla(ticket, now),
    canAdd: ticket.connection.deletedAt === null,
  };
}

/** The text as written to ServiceNow: the integration user is the author there, so the person is named. */
export function journalText(actor: Actor, text: string): string {
  return `${text}\n\n— ${actor.name} (via PostureDesk)`;
}

export async function addJournalEntry(
  actor: Actor,
  id: string,
  input: TAddJournalEntry,
  opts: { requestId?: string } = {},
): Promise<{ entry: TJournalEntry }> {
  assertRole(actor, "analyst", "Adding work notes and comments");
  const ticket = await ticketOrThrow(id);
  if (ticket.connection.deletedAt)
    throw new AppError("CONFLICT", { message: "This ticket's ServiceNow connection is archived; its journal is read-only" });
  const client = await serviceNowClientFor(ticket.connection);
  const value = journalText(actor, input.text);
  // Not repeated on failure by the client: a journal write is not idempotent.
  await client.update(ticket.table as ServiceNowTable, ticket.sysId, { [input.element]: value }, { fields: ["sys_id"] });
  await audit({
    actor,
    action: "ticket.journal",
    targetType: "ticket",
    targetId: ticket.id,
    after: { element: input.element, text: input.text },
    requestId: opts.requestId,
  });
  // Read back the entry ServiceNow stored (newest of that element); fall back to what we sent.
  const latest = (await readJournal(client, ticket.table, ticket.sysId, 5)).find((e) => e.element === input.element && e.text === value);
  return {
    entry: latest ?? {
      id: `local-${Date.now()}`,
      element: input.element,
      text: value,
      createdAt: new Date().toISOString(),
      createdBy: "",
      createdByName: null,
    },
  };
}
