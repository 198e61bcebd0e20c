import "server-only";
import { redirect } from "next/navigation";
import { type Actor, resolveSessionActor } from "@/lib/auth/actor";
import { type TRole } from "@/lib/auth/roles";

export type PageActor = Actor & { role: TRole };

/** The signed-in person for a page: redirects to sign-in without a session, to "no access" without a role. */
export async function requirePageActor(): Promise<PageActor> {
  const actor = await resolveSessionActor();
  if (!actor) redirect("/signin");
  if (!actor.role) redirect("/no-access");
  return actor as PageActor;
}
