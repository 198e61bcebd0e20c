import type { Metadata } from "next";
import { AuthCard } from "@/components/shell/auth-card";
import { buttonClasses } from "@/components/ui/button";
import { safeReturnTo } from "@/lib/auth/auth-state";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  expired: "Your sign-in took too long or was started in another window. Please try again.",
  denied: "Sign-in was cancelled.",
  idp: "Microsoft Entra ID could not sign you in. Please try again.",
  rejected: "The sign-in response could not be verified. Please try again.",
  unavailable: "Microsoft Entra ID cannot be reached right now. Please try again in a moment.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(typeof params.returnTo === "string" ? params.returnTo : undefined, env().APP_URL);
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? ERRORS.idp) : null;
  const href = `/api/auth/login${returnTo !== "/" ? `?returnTo=${encodeURIComponent(returnTo)}` : ""}`;
  return (
    <AuthCard title="Sign in">
      <p>Defender for Cloud recommendations next to the ServiceNow tickets that track them.</p>
      {error ? (
        <p role="alert" className="mt-4 rounded-md border border-danger/30 bg-danger-soft px-3 py-2 text-danger">
          {error}
        </p>
      ) : null}
      <a href={href} className={buttonClasses("primary", "md", "mt-5 w-full")}>
        Sign in with Microsoft
      </a>
      {env().DEMO_MODE ? (
        <p className="mt-4 text-xs">
          Demo: the bundled Entra ID emulator lists demo users of each role (Admin, Analyst, Manager) on the next page.
        </p>
      ) : null}
    </AuthCard>
  );
}
