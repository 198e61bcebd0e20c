import type { Metadata } from "next";
import { AuthCard } from "@/components/shell/auth-card";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Signed out" };

export default function SignedOutPage() {
  return (
    <AuthCard title="You are signed out">
      <p>Your PostureDesk session has ended on this browser.</p>
      <a href="/signin" className={buttonClasses("secondary", "md", "mt-5 w-full")}>
        Sign in again
      </a>
    </AuthCard>
  );
}
