import { type TRequiredRole } from "@/lib/auth/roles";

export type NavItem = { href: string; label: string; icon: string; role: TRequiredRole };

/** The main navigation; each entry is shown only to roles that may use the page. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: "LayoutDashboard", role: "manager" },
  { href: "/recommendations", label: "Recommendations", icon: "ShieldAlert", role: "manager" },
  { href: "/findings", label: "Findings", icon: "ListChecks", role: "manager" },
  { href: "/tickets", label: "Tickets", icon: "Ticket", role: "manager" },
  { href: "/compliance", label: "Compliance", icon: "ClipboardCheck", role: "manager" },
  { href: "/sync", label: "Sync history", icon: "History", role: "manager" },
  { href: "/rules", label: "Rules", icon: "Workflow", role: "admin" },
  { href: "/connections", label: "Connections", icon: "Plug", role: "analyst" },
  { href: "/audit", label: "Audit log", icon: "ScrollText", role: "admin" },
  { href: "/settings/tokens", label: "API tokens", icon: "KeyRound", role: "admin" },
  { href: "/api-docs", label: "API reference", icon: "BookOpen", role: "manager" },
];
