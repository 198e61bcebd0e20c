// Roles and what each may do (docs/DESIGN.md §8). Kept free of server-only imports: the UI uses it to
// decide what to show, the server to decide what to allow.

export const ROLES = ["ADMIN", "ANALYST", "MANAGER"] as const;
export type TRole = (typeof ROLES)[number];

/** Minimum role a route requires. "public" routes authenticate themselves (health, webhooks, sign-in). */
export type TRequiredRole = "public" | "manager" | "analyst" | "admin";

const RANK: Record<TRole, number> = { MANAGER: 1, ANALYST: 2, ADMIN: 3 };
const REQUIRED_RANK: Record<Exclude<TRequiredRole, "public">, number> = { manager: 1, analyst: 2, admin: 3 };

export function hasRole(role: TRole | null | undefined, required: TRequiredRole): boolean {
  if (required === "public") return true;
  if (!role) return false;
  return RANK[role] >= REQUIRED_RANK[required];
}

export const ROLE_LABEL: Record<TRole, string> = { ADMIN: "Admin", ANALYST: "Analyst", MANAGER: "Manager" };

export function canWrite(role: TRole | null | undefined): boolean {
  return hasRole(role, "analyst");
}

export function isAdmin(role: TRole | null | undefined): boolean {
  return role === "ADMIN";
}
