import "server-only";

// A shared view's link carries only its id (/findings?view={id}): the page answers with a redirect to
// the same page with the view's filters in the URL, before anything renders. An unknown or private id
// renders the page unfiltered (the page says the view cannot be opened).
import { redirect } from "next/navigation";
import { type Actor } from "@/lib/auth/actor";
import { isAppError } from "@/lib/http/errors";
import { ZUuid } from "@/lib/schemas/common";
import { savedViewHref, type TSavedView, type TSavedViewPage } from "@/lib/schemas/saved-views";
import { getSavedView } from "./service";

export async function openSavedViewLink(
  actor: Actor,
  page: TSavedViewPage,
  searchParams: Record<string, string | string[] | undefined>,
): Promise<void> {
  const keys = Object.keys(searchParams).filter((k) => searchParams[k] !== undefined);
  const id = searchParams.view;
  if (keys.length !== 1 || typeof id !== "string" || !ZUuid.safeParse(id).success) return;
  let view: TSavedView;
  try {
    view = await getSavedView(actor, id);
  } catch (error) {
    if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return;
    throw error;
  }
  if (view.page === page && Object.keys(view.filters).length > 0) redirect(savedViewHref(view));
}
