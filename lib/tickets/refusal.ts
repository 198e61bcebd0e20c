// A ServiceNow 403 while creating a ticket, said in words an admin can act on: which operation on which
// table the connection's account may not do, and the roles that usually grant it (ServiceNow answers
// only "ACL Exception Insert Failed due to security constraints"). Roles from ServiceNow's docs:
// incident and change request writes — itil (change also change_manager); problem — itil or the
// problem_* roles; Configuration Compliance remediation tasks — sn_vulc.write (docs/OPERATIONS.md).
import { AppError, isAppError } from "@/lib/http/errors";
import { type TCreateTicketType } from "@/lib/schemas/tickets";

const ROLE_HINT: Record<string, string> = {
  incident: "the itil role grants it",
  problem: "the itil or problem_coordinator role grants it",
  change_request: "the itil or change_manager role grants it",
  sn_vulc_result_group: "the sn_vulc.write role grants it",
  sys_user: "the itil role grants it",
  sys_user_group: "the itil role grants it",
};

const OPERATION: Record<string, string> = { POST: "create", PATCH: "update", PUT: "update", GET: "read", DELETE: "delete" };

type Details = { method?: string; target?: string; serviceNowMessage?: string; serviceNowDetail?: string | null };

export function explainRefusal(error: unknown, type: TCreateTicketType): unknown {
  if (!isAppError(error) || error.code !== "UPSTREAM_FORBIDDEN") return error;
  const details = (error.details ?? {}) as Details;
  const table = details.target?.split("/")[0] || type;
  const operation = OPERATION[details.method ?? "POST"] ?? "write";
  const said = [details.serviceNowMessage, details.serviceNowDetail].filter(Boolean).join(": ");
  const message = `ServiceNow refused: the connection's ServiceNow account is missing the "${operation}" permission on the ${table} table (${ROLE_HINT[table] ?? "ask a ServiceNow admin for an ACL that allows it"}).${said ? ` ServiceNow said: ${said}` : ""}`;
  return new AppError("UPSTREAM_FORBIDDEN", { message, details: { ...details, missingPermission: { operation, table } }, cause: error });
}
