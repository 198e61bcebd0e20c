"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import {
  BookOpen,
  ClipboardCheck,
  History,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  LogOut,
  MonitorX,
  Plug,
  ScrollText,
  ShieldAlert,
  Ticket,
  Workflow,
  type LucideIcon,
} from "lucide-react";
import { cn } from "@/components/ui/cn";
import { hasRole, ROLE_LABEL, type TRole } from "@/lib/auth/roles";
import { NAV_ITEMS } from "@/components/shell/nav-items";

const ICONS: Record<string, LucideIcon> = {
  LayoutDashboard,
  ShieldAlert,
  ListChecks,
  Ticket,
  ClipboardCheck,
  History,
  Workflow,
  Plug,
  ScrollText,
  KeyRound,
  BookOpen,
};

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function Sidebar({ user }: { user: { name: string; email: string | null; role: TRole } }) {
  const pathname = usePathname();
  return (
    <aside className="no-print sticky top-0 flex h-screen w-14 shrink-0 flex-col border-r border-border bg-surface lg:w-52">
      <div className="flex h-12 items-center gap-2 border-b border-border px-3">
        <span aria-hidden className="grid size-7 place-items-center rounded-md bg-accent text-xs font-bold text-accent-fg">
          PD
        </span>
        <span className="hidden text-sm font-semibold lg:inline">PostureDesk</span>
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto px-2 py-3">
        <ul className="flex flex-col gap-0.5">
          {NAV_ITEMS.filter((item) => hasRole(user.role, item.role)).map((item) => {
            const Icon = ICONS[item.icon];
            const active = isActive(pathname, item.href);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  title={item.label}
                  className={cn(
                    "flex h-8 items-center gap-2.5 rounded-md px-2 text-sm",
                    active ? "bg-accent-soft font-medium text-accent" : "text-muted hover:bg-surface-2 hover:text-fg",
                  )}
                >
                  <Icon aria-hidden className="size-4 shrink-0" />
                  <span className="hidden truncate lg:inline">{item.label}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="border-t border-border p-2">
        <div className="hidden px-2 pb-2 lg:block">
          <p className="truncate text-sm font-medium" title={user.email ?? undefined}>
            {user.name}
          </p>
          <p className="text-xs text-muted">{ROLE_LABEL[user.role]}</p>
        </div>
        <form action="/api/auth/logout" method="post">
          <button type="submit" title="Sign out" className="flex h-8 w-full items-center gap-2.5 rounded-md px-2 text-sm text-muted hover:bg-surface-2 hover:text-fg">
            <LogOut aria-hidden className="size-4 shrink-0" />
            <span className="hidden lg:inline">Sign out</span>
          </button>
        </form>
        <form action="/api/auth/sign-out-everywhere" method="post">
          <button
            type="submit"
            title="Sign out everywhere: ends your sessions in every browser and device"
            className="flex h-8 w-full items-center gap-2.5 rounded-md px-2 text-sm text-muted hover:bg-surface-2 hover:text-fg"
          >
            <MonitorX aria-hidden className="size-4 shrink-0" />
            <span className="hidden lg:inline">Sign out everywhere</span>
          </button>
        </form>
      </div>
    </aside>
  );
}
