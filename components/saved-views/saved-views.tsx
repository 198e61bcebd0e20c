"use client";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState } from "react";
import { Bookmark, BookmarkPlus, Link2, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import {
  useCreateSavedView,
  useDeleteSavedView,
  useSavedView,
  useSavedViews,
  useUpdateSavedView,
} from "@/lib/queries/saved-views/use-saved-views";
import { filtersFromSearch, savedViewHref, type TSavedView, type TSavedViewPage } from "@/lib/schemas/saved-views";

function useUrlState() {
  const params = useSearchParams();
  const state: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    state[key] = all.length > 1 ? all : all[0]!;
  }
  return { params, state };
}

/** The link that opens a view for anyone it is shared with (the page loads its filters by id). */
function shareLink(view: TSavedView): string {
  return `${typeof window === "undefined" ? "" : window.location.origin}/${view.page}?view=${view.id}`;
}

function SaveDialog({ page, open, onClose }: { page: TSavedViewPage; open: boolean; onClose: () => void }) {
  const { state } = useUrlState();
  const router = useRouter();
  const create = useCreateSavedView();
  const [name, setName] = useState("");
  const [isShared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shareId = useId();
  const filters = filtersFromSearch(page, state);
  const count = Object.keys(filters).length;
  const close = () => {
    setError(null);
    onClose();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError("Give the view a name.");
    create.mutate(
      { name: name.trim(), page, filters, isShared },
      {
        onSuccess: (view) => {
          setName("");
          setShared(false);
          close();
          router.replace(savedViewHref(view), { scroll: false });
        },
        onError: (err) => setError(err.message),
      },
    );
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Save this view"
      description={
        count === 0
          ? "No filter is set: the view shows everything."
          : `Keeps the ${count} filter${count === 1 ? "" : "s"} and the sort now in use.`
      }
    >
      <form onSubmit={submit} className="space-y-3" aria-label="Save this view">
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required autoFocus error={error} />
        <div className="flex items-center gap-2 text-sm">
          <input
            id={shareId}
            type="checkbox"
            className="size-4 accent-[var(--accent)]"
            checked={isShared}
            onChange={(e) => setShared(e.target.checked)}
          />
          <label htmlFor={shareId}>Share with everyone who can open this page</label>
        </div>
        <div className="flex justify-end gap-2">
          <Button type="button" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" isLoading={create.isPending}>
            Save view
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ViewsDialog({ page, open, onClose }: { page: TSavedViewPage; open: boolean; onClose: () => void }) {
  const views = useSavedViews(page, open);
  const remove = useDeleteSavedView();
  const update = useUpdateSavedView();
  const { toast } = useToast();
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (view: TSavedView) => {
    const link = shareLink(view);
    try {
      await navigator.clipboard.writeText(link);
      toast({
        tone: "success",
        title: "Link copied",
        description: view.isShared ? undefined : "The view is private: share it first so others can open it.",
      });
    } catch {
      // No clipboard (insecure context, denied): the link is shown to copy by hand.
    }
    setCopied(view.id);
  };
  return (
    <Dialog open={open} onClose={onClose} title="Saved views" size="lg" description="Your views first, then the views others shared.">
      {views.isPending ? (
        <LoadingState />
      ) : views.isError ? (
        <ErrorState error={views.error} onRetry={() => views.refetch()} />
      ) : views.data.items.length === 0 ? (
        <EmptyState title="No saved views yet" description="Set filters, then choose Save view." />
      ) : (
        <ul className="divide-y divide-border" aria-label="Saved views">
          {views.data.items.map((v) => (
            <li key={v.id} className="py-2">
              <div className="flex flex-wrap items-center gap-2">
                <Link href={savedViewHref(v)} onClick={onClose} className="min-w-0 flex-1 truncate font-medium text-accent hover:underline">
                  {v.name}
                </Link>
                {v.isMine ? (
                  v.isShared ? (
                    <Badge tone="info">Shared</Badge>
                  ) : (
                    <Badge>Private</Badge>
                  )
                ) : (
                  <Badge tone="info">Shared by {v.ownerName ?? "someone"}</Badge>
                )}
                {v.isMine ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() =>
                      update.mutate(
                        { id: v.id, input: { isShared: !v.isShared } },
                        { onError: (e) => toast({ tone: "error", title: "Could not change sharing", description: e.message }) },
                      )
                    }
                  >
                    {v.isShared ? "Make private" : "Share"}
                  </Button>
                ) : null}
                <Button
                  size="sm"
                  variant="ghost"
                  icon={<Link2 aria-hidden className="size-4" />}
                  onClick={() => void copy(v)}
                  aria-label={`Copy the link of ${v.name}`}
                >
                  Copy link
                </Button>
                {v.isMine ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    icon={<Trash2 aria-hidden className="size-4" />}
                    aria-label={`Delete ${v.name}`}
                    isLoading={remove.isPending && remove.variables === v.id}
                    onClick={() =>
                      remove.mutate(v.id, {
                        onSuccess: () => toast({ tone: "success", title: `Deleted “${v.name}”` }),
                        onError: (e) => toast({ tone: "error", title: "Could not delete", description: e.message }),
                      })
                    }
                  />
                ) : null}
              </div>
              {copied === v.id ? (
                <input
                  readOnly
                  aria-label={`Link of ${v.name}`}
                  value={shareLink(v)}
                  onFocus={(e) => e.currentTarget.select()}
                  className="mt-1 w-full rounded border border-border bg-surface-2 px-2 py-1 font-mono text-xs"
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

/**
 * Saved views of the findings or recommendations page: save the filters in use under a name (private or
 * shared), open the list to apply, share or delete. `?view={id}` names the applied view; a shared link
 * that carries only the id loads its filters.
 */
export function SavedViews({ page }: { page: TSavedViewPage }) {
  const { params } = useUrlState();
  const router = useRouter();
  const pathname = usePathname();
  const viewId = params.get("view");
  const view = useSavedView(viewId);
  const [dialog, setDialog] = useState<"save" | "list" | null>(null);
  // A link with only ?view={id} (a shared link) is redirected by the page to the view's filters (lib/saved-views/open-link.ts).

  return (
    <div className="flex flex-wrap items-center gap-2">
      {viewId ? (
        view.isError ? (
          <span role="status" className="inline-flex items-center gap-1 text-xs text-warning">
            This saved view is private or was deleted.
            <button type="button" className="underline" onClick={() => router.replace(pathname, { scroll: false })}>
              Clear
            </button>
          </span>
        ) : view.data ? (
          <Badge tone="accent" title={view.data.isMine ? "Your view" : `Shared by ${view.data.ownerName ?? "someone"}`}>
            View: {view.data.name}
          </Badge>
        ) : null
      ) : null}
      <Button size="sm" icon={<Bookmark aria-hidden className="size-4" />} onClick={() => setDialog("list")}>
        Saved views
      </Button>
      <Button size="sm" icon={<BookmarkPlus aria-hidden className="size-4" />} onClick={() => setDialog("save")}>
        Save view
      </Button>
      <SaveDialog page={page} open={dialog === "save"} onClose={() => setDialog(null)} />
      <ViewsDialog page={page} open={dialog === "list"} onClose={() => setDialog(null)} />
    </div>
  );
}
