import "server-only";
import { type Actor } from "@/lib/auth/actor";
import { type AuditActor } from "@/lib/audit/audit";
import { hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/http/errors";

/**
 * Services authorize their caller themselves (routes check too, but jobs and scripts call services
 * directly). People and API tokens need the role; the system and automation rules act on their own
 * authority.
 */
export function assertRole(actor: AuditActor | Actor, role: "manager" | "analyst" | "admin", what: string): void {
  if (!("role" in actor)) return;
  if (!hasRole(actor.role, role)) throw new AppError("FORBIDDEN", { message: `${what} needs the ${role} role` });
}

/** How a service records who did something on a row (createdByType / createdById). */
export function actorRef(actor: AuditActor): { type: "user" | "token" | "rule" | "system"; id: string | null } {
  return { type: actor.type, id: actor.id };
}
