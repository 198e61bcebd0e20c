"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import {
  BookOpen,
  ClipboardCheck,
  History,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  LogOut,
  Menu,
  MonitorX,
  Plug,
  ScrollText,
  ShieldAlert,
  Ticket,
  Workflow,
  X,
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

// From 640 px up the navigation is a rail on the left (icons; with labels from 1024 px). On a phone it
// is a bar at the top whose labelled menu button opens the navigation and the sign-out buttons below it.
export function Sidebar({ user }: { user: { name: string; email: string | null; role: TRole } }) {
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <aside
      className="no-print sticky top-0 z-30 flex w-full shrink-0 flex-col border-b border-border bg-surface sm:h-screen sm:w-14 sm:border-r sm:border-b-0 lg:w-52"
      onKeyDown={(e) => {
        if (e.key === "Escape" && menuOpen) setMenuOpen(false);
      }}
    >
      <div className="flex h-12 shrink-0 items-center gap-2 border-border px-3 sm:border-b">
        <span aria-hidden className="grid size-7 place-items-center rounded-md bg-accent text-xs font-bold text-accent-fg">
          PD
        </span>
        <span className="text-sm font-semibold sm:hidden lg:inline">PostureDesk</span>
        <button
          type="button"
          className="ml-auto grid size-9 place-items-center rounded-md text-muted hover:bg-surface-2 hover:text-fg sm:hidden"
          aria-label="Main menu"
          aria-expanded={menuOpen}
          aria-controls="app-menu"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? <X aria-hidden className="size-5" /> : <Menu aria-hidden className="size-5" />}
        </button>
      </div>
      <div
        id="app-menu"
        className={cn(
          "max-h-[calc(100dvh-3rem)] min-h-0 flex-1 flex-col overflow-y-auto border-t border-border sm:flex sm:max-h-none sm:border-t-0",
          menuOpen ? "flex" : "hidden",
        )}
      >
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
                    onClick={() => setMenuOpen(false)}
                    className={cn(
                      "flex h-8 items-center gap-2.5 rounded-md px-2 text-sm",
                      active ? "bg-accent-soft font-medium text-accent" : "text-muted hover:bg-surface-2 hover:text-fg",
                    )}
                  >
                    <Icon aria-hidden className="size-4 shrink-0" />
                    <span className="truncate sm:hidden lg:inline">{item.label}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="border-t border-border p-2">
          <div className="px-2 pb-2 sm:hidden lg:block">
            <p className="truncate text-sm font-medium" title={user.email ?? undefined}>
              {user.name}
            </p>
            <p className="text-xs text-muted">{ROLE_LABEL[user.role]}</p>
          </div>
          <SignOutForm action="/api/auth/logout" title="Sign out" icon={LogOut} label="Sign out" />
          <SignOutForm
            action="/api/auth/sign-out-everywhere"
            title="Sign out everywhere: ends your sessions in every browser and device"
            icon={MonitorX}
            label="Sign out everywhere"
          />
        </div>
      </div>
    </aside>
  );
}

/** A sign-out button (a form posting to `action`, so it works before hydration); the label shows beside the icon when the sidebar is wide. */
function SignOutForm({ action, title, icon: Icon, label }: { action: string; title: string; icon: LucideIcon; label: string }) {
  return (
    <form action={action} method="post">
      <button
        type="submit"
        title={title}
        className="flex h-8 w-full items-center gap-2.5 rounded-md px-2 text-sm text-muted hover:bg-surface-2 hover:text-fg"
      >
        <Icon aria-hidden className="size-4 shrink-0" />
        <span className="sm:hidden lg:inline">{label}</span>
      </button>
    </form>
  );
}
