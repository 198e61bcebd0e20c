import type { Metadata } from "next";
import { AuthCard } from "@/components/shell/auth-card";
import { resolveSessionActor } from "@/lib/auth/actor";

export const metadata: Metadata = { title: "No access" };
export const dynamic = "force-dynamic";

export default async function NoAccessPage() {
  const actor = await resolveSessionActor();
  return (
    <AuthCard title="No access">
      <p>
        {actor ? (
          <>
            You are signed in as <strong className="text-fg">{actor.email ?? actor.name}</strong>, but your
          </>
        ) : (
          "Your"
        )}{" "}
        account has no PostureDesk role. Ask an administrator to assign you the Admin, Analyst or Manager app role in Microsoft Entra ID,
        then sign in again.
      </p>
      <form action="/api/auth/logout" method="post" className="mt-5">
        <button
          type="submit"
          className="h-9 w-full rounded-md border border-border bg-surface text-sm font-medium text-fg hover:bg-surface-2"
        >
          Sign out
        </button>
      </form>
    </AuthCard>
  );
}
