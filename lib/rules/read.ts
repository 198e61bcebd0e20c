import "server-only";

// Reading rules: managers may see them (what automation does is part of the compliance picture);
// only admins change them (./write.ts, ./reorder.ts).

import { assertRole, type Caller } from "@/lib/auth/authorize";
import { db, type ServiceNowConnectionRow } from "@/lib/db";
import { readPage } from "@/lib/db/page";
import { type Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/errors";
import { type TPage } from "@/lib/schemas/common";
import { type TRuleDto, type TRulesQuery } from "@/lib/schemas/rules";
import { type RuleRow, toRuleDto } from "./dto";

export const RULE_INCLUDE = { connection: { select: { id: true, name: true, deletedAt: true, itsmEnabled: true } } } as const;

/** Tickets created by each rule. */
async function ticketCounts(ruleIds: string[]): Promise<Map<string, number>> {
  if (ruleIds.length === 0) return new Map();
  const rows = await db().ticket.groupBy({ by: ["ruleId"], where: { ruleId: { in: ruleIds } }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.ruleId!, r._count._all]));
}

export async function toRuleDtos(rows: RuleRow[]): Promise<TRuleDto[]> {
  const counts = await ticketCounts(rows.map((r) => r.id));
  return rows.map((r) => toRuleDto(r, counts.get(r.id) ?? 0));
}

/** Live rules, by connection name then priority (the order they are evaluated in). */
export async function listRules(actor: Caller, query: TRulesQuery): Promise<TPage<TRuleDto>> {
  assertRole(actor, "manager", "Reading automation rules");
  const where: Prisma.AutomationRuleWhereInput = {
    deletedAt: null,
    ...(query.connectionId ? { connectionId: query.connectionId } : {}),
    ...(query.enabled !== undefined ? { enabled: query.enabled } : {}),
  };
  return readPage(
    query,
    (window) =>
      db().automationRule.findMany({
        where,
        include: RULE_INCLUDE,
        orderBy: [{ connection: { name: "asc" } }, { connectionId: "asc" }, { priority: "asc" }],
        ...window,
      }),
    () => db().automationRule.count({ where }),
    toRuleDtos,
  );
}

/** A live rule, or 404. */
export async function loadLiveRule(id: string): Promise<RuleRow> {
  const rule = await db().automationRule.findUnique({ where: { id }, include: RULE_INCLUDE });
  if (!rule || rule.deletedAt) throw new AppError("NOT_FOUND", { message: "No such automation rule" });
  return rule;
}

export async function getRule(actor: Caller, id: string): Promise<TRuleDto> {
  assertRole(actor, "manager", "Reading automation rules");
  const [dto] = await toRuleDtos([await loadLiveRule(id)]);
  return dto!;
}

/** The connection a rule is (or will be) scoped to: it must exist and not be archived. */
export async function loadRuleConnection(connectionId: string): Promise<ServiceNowConnectionRow> {
  const connection = await db().serviceNowConnection.findUnique({ where: { id: connectionId } });
  if (!connection) {
    throw new AppError("VALIDATION", {
      message: "Unknown ServiceNow connection",
      details: { errors: [{ path: "body.connectionId", message: "no such connection" }] },
    });
  }
  if (connection.deletedAt)
    throw new AppError("CONFLICT", { message: `The ServiceNow connection "${connection.name}" is archived; its rules cannot change` });
  return connection;
}
