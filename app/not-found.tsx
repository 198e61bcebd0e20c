import type { Metadata } from "next";
import { NotFoundContent } from "@/components/shell/not-found";

export const metadata: Metadata = { title: "Not found" };

/** An address no route matches (HTTP 404). */
export default function NotFound() {
  return (
    <main id="main" className="px-4 py-5">
      <NotFoundContent />
    </main>
  );
}
