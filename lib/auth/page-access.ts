import { hasRole, type TRequiredRole, type TRole } from "@/lib/auth/roles";

// The role each page of the app needs. One table for both sides: every page checks it on the server
// (app/(app)/**/page.tsx) and the UI shows a navigation item, button or in-page link only to roles it
// lets through (components/shell/viewer.tsx), so the two cannot drift. Kept free of server-only imports.

/** Pages that need more than the Manager role (read-only); every other page of the app needs Manager. */
const PAGE_ROLES: ReadonlyArray<{ prefix: string; role: Exclude<TRequiredRole, "public"> }> = [
  { prefix: "/rules", role: "admin" },
  { prefix: "/audit", role: "admin" },
  { prefix: "/settings/tokens", role: "admin" },
  { prefix: "/connections", role: "analyst" },
];

/** The role a page of the app needs, by its path (query and fragment ignored). */
export function pageRole(href: string): Exclude<TRequiredRole, "public"> {
  const path = href.split(/[?#]/, 1)[0]!;
  return PAGE_ROLES.find((p) => path === p.prefix || path.startsWith(`${p.prefix}/`))?.role ?? "manager";
}

/** Whether a person of `role` may open `href`. Links leaving the app and API links answer for themselves. */
export function canOpen(role: TRole | null | undefined, href: string): boolean {
  if (!href.startsWith("/") || href.startsWith("//") || href.startsWith("/api/")) return true;
  return hasRole(role, pageRole(href));
}

/** "Admin", "Analyst" or "Manager": the name of the role a page needs, for the "no access" message. */
export function pageRoleLabel(href: string): string {
  const role = pageRole(href);
  return role.charAt(0).toUpperCase() + role.slice(1);
}
