"use client";
import { createContext, type ReactNode, useCallback, useContext } from "react";
import { canOpen } from "@/lib/auth/page-access";
import { type TRole } from "@/lib/auth/roles";

// The signed-in person's role, for deciding which links to show (lib/auth/page-access.ts); the server
// checks the same table when the page is opened.

const ViewerRole = createContext<TRole | null>(null);

export function ViewerRoleProvider({ role, children }: { role: TRole; children: ReactNode }) {
  return <ViewerRole.Provider value={role}>{children}</ViewerRole.Provider>;
}

/** `canOpen(href)`: whether the signed-in person may open that page (show the link only then). */
export function useCanOpen(): (href: string) => boolean {
  const role = useContext(ViewerRole);
  return useCallback((href: string) => canOpen(role, href), [role]);
}
