import "server-only";
import { type Actor } from "@/lib/auth/actor";
import { hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/http/errors";

// Authorization, in one place: who may call a service and how a row records who did something.
// Routes check the role too (lib/http/route.ts), but jobs, rules and scripts call services directly,
// so every service asserts the role of its caller itself.

/** The system itself (scheduler, worker, command line) or an automation rule: acts on its own authority. */
export type SystemCaller = { type: "system" | "rule"; id: string | null; name: string };

/** Who calls a service: a person or API token (an Actor, with a role), or the system / a rule. */
export type Caller = Actor | SystemCaller;

/**
 * People and API tokens need the role; the system and automation rules act on their own authority.
 * `what` names the action for the 403 message ("Archiving a connection" → "… needs the admin role").
 */
export function assertRole(caller: Caller, role: "manager" | "analyst" | "admin", what: string): void {
  if (!("role" in caller)) return;
  if (!hasRole(caller.role, role)) throw new AppError("FORBIDDEN", { message: `${what} needs the ${role} role` });
}

/** How a service records who did something on a row (createdByType / createdById). */
export function actorRef(caller: Caller): { type: "user" | "token" | "rule" | "system"; id: string | null } {
  return { type: caller.type, id: caller.id };
}
