import type { Metadata } from "next";
import { NotFoundContent } from "@/components/shell/not-found";

export const metadata: Metadata = { title: "Not found" };

/** An unknown id on a detail page (notFound()): inside the app's shell, with a way back. */
export default function AppNotFound() {
  return <NotFoundContent />;
}
