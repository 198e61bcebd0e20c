import { pageRole } from "@/lib/auth/page-access";
import { type TRequiredRole } from "@/lib/auth/roles";

export type NavItem = { href: string; label: string; icon: string; role: TRequiredRole };

/** The main navigation; each entry is shown only to roles that may open the page (lib/auth/page-access.ts). */
const ITEMS: Omit<NavItem, "role">[] = [
  { href: "/", label: "Overview", icon: "LayoutDashboard" },
  { href: "/recommendations", label: "Recommendations", icon: "ShieldAlert" },
  { href: "/findings", label: "Findings", icon: "ListChecks" },
  { href: "/tickets", label: "Tickets", icon: "Ticket" },
  { href: "/compliance", label: "Compliance", icon: "ClipboardCheck" },
  { href: "/sync", label: "Sync history", icon: "History" },
  { href: "/rules", label: "Rules", icon: "Workflow" },
  { href: "/connections", label: "Connections", icon: "Plug" },
  { href: "/audit", label: "Audit log", icon: "ScrollText" },
  { href: "/settings/tokens", label: "API tokens", icon: "KeyRound" },
  { href: "/api-docs", label: "API reference", icon: "BookOpen" },
];

export const NAV_ITEMS: NavItem[] = ITEMS.map((item) => ({ ...item, role: pageRole(item.href) }));
