"use client";
// Typeahead over a ServiceNow connection's users or assignment groups, on React Aria's ComboBox (ARIA
// combobox pattern: arrow keys move through the list, Enter picks, Escape closes, the list is announced).
// Typed text that is not picked stays the value: the server accepts a user name, e-mail or an
// unambiguous display name and answers 422 naming the problem otherwise.
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ChevronDown, LoaderCircle } from "lucide-react";
import {
  Button,
  Collection,
  ComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  ListBoxLoadMoreItem,
  Popover,
  Text,
  type Key,
} from "react-aria-components";
import { cn } from "@/components/ui/cn";
import { useDirectory } from "@/lib/queries/connections/use-connections";
import { directoryDetail, type DirectoryItem, type DirectoryKind, directoryRef, isRefOf, noMatchMessage } from "./directory-ref";

const DEBOUNCE_MS = 250;

function useDebounced(value: string): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  return debounced;
}

export function DirectoryPicker({
  connectionId,
  kind,
  label,
  value,
  onChange,
  hint,
  error,
  placeholder,
  className,
}: {
  connectionId: string | null;
  kind: DirectoryKind;
  label: string;
  /** The stored reference (user name, e-mail, group name, sys_id) or the text typed so far. */
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string;
  placeholder?: string;
  className?: string;
}) {
  // The text in the box: what the person typed or the name of what they picked — as long as the value
  // is still the one that text produced. A value set from outside (a prefilled default, a stored rule)
  // is shown by its record's display name once a search for it finds the record.
  const [typed, setTyped] = useState<{ text: string; forValue: string } | null>(null);
  const isOwnValue = typed !== null && typed.forValue === value;
  const lookup = useDirectory(!isOwnValue && value.trim() ? connectionId : null, kind, value.trim());
  const lookedUp = lookup.data?.pages[0]?.items.find((item) => isRefOf(kind, item, value));
  const text = isOwnValue ? typed.text : (lookedUp?.name ?? value);

  const query = useDebounced(text);
  const directory = useDirectory(connectionId, kind, query);
  const items = useMemo<DirectoryItem[]>(() => directory.data?.pages.flatMap((p) => p.items) ?? [], [directory.data]);

  // Inside a modal <dialog> the list must live in the dialog (the top layer), or it would sit behind it.
  const [portal, setPortal] = useState<Element | undefined>(undefined);
  const shell = useCallback((el: HTMLDivElement | null) => setPortal(el?.closest("dialog") ?? undefined), []);

  // React Aria echoes a pick as an input change to the item's name, in the same event as the pick.
  const lastPickName = useRef<string | null>(null);
  const onInputChange = (next: string) => {
    if (next === text || next === lastPickName.current) return;
    lastPickName.current = null;
    setTyped({ text: next, forValue: next });
    onChange(next);
  };
  const onSelectionChange = (key: Key | null) => {
    const item = items.find((i) => i.sysId === key);
    if (!item) return;
    const ref = directoryRef(kind, item, items);
    lastPickName.current = item.name;
    setTyped({ text: item.name, forValue: ref });
    onChange(ref);
  };

  // Escape with the list open closes the list only, not the dialog around the field: the native
  // <dialog> treats an Escape keydown as a close request unless the key's default is prevented.
  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape" && e.target instanceof HTMLElement && e.target.getAttribute("aria-expanded") === "true") e.preventDefault();
  };

  const isFirstLoad = directory.isPending && directory.fetchStatus !== "idle";
  return (
    <div ref={shell} className={className} onKeyDownCapture={onKeyDownCapture}>
      <ComboBox
        inputValue={text}
        onInputChange={onInputChange}
        onSelectionChange={onSelectionChange}
        allowsCustomValue
        allowsEmptyCollection
        defaultFilter={() => true}
        isDisabled={!connectionId}
        isInvalid={Boolean(error)}
        validationBehavior="aria"
        className="flex flex-col gap-1"
      >
        <Label className="text-xs font-medium">{label}</Label>
        <div className="relative">
          <Input
            placeholder={placeholder ?? (kind === "users" ? "Name, user name or e-mail" : "Group name")}
            className={cn(
              "h-9 w-full rounded-md border border-border bg-surface pr-8 pl-2.5 text-sm text-fg placeholder:text-muted disabled:opacity-60",
              error && "border-danger",
            )}
          />
          <Button
            aria-label={`Show ${kind === "users" ? "people" : "groups"}`}
            className="absolute inset-y-0 right-0 flex w-8 items-center justify-center text-muted hover:text-fg"
          >
            {directory.isFetching ? (
              <LoaderCircle aria-hidden className="size-3.5 animate-spin" />
            ) : (
              <ChevronDown aria-hidden className="size-4" />
            )}
          </Button>
        </div>
        {error ? null : hint ? (
          <Text slot="description" className="text-xs text-muted">
            {hint}
          </Text>
        ) : null}
        <FieldError className="text-xs text-danger">{error}</FieldError>
        <Popover
          UNSTABLE_portalContainer={portal}
          offset={4}
          className="w-[var(--trigger-width)] overflow-auto rounded-md border border-border bg-surface shadow-lg"
        >
          <ListBox
            className="max-h-64 p-1 text-sm outline-none"
            renderEmptyState={() => (
              <p role="status" className={cn("px-2 py-1.5", directory.isError ? "text-danger" : "text-muted")}>
                {directory.isError
                  ? `Could not search ServiceNow: ${directory.error.message}`
                  : isFirstLoad || query !== text
                    ? "Searching…"
                    : noMatchMessage(kind, query)}
              </p>
            )}
          >
            <Collection items={items}>
              {(item) => (
                <ListBoxItem
                  id={item.sysId}
                  textValue={item.name}
                  className="flex cursor-default flex-col rounded px-2 py-1.5 outline-none data-[focused]:bg-surface-2 data-[selected]:font-medium"
                >
                  <span>{item.name}</span>
                  {directoryDetail(kind, item) ? <span className="text-xs text-muted">{directoryDetail(kind, item)}</span> : null}
                </ListBoxItem>
              )}
            </Collection>
            {directory.hasNextPage ? (
              <ListBoxLoadMoreItem
                onLoadMore={() => void directory.fetchNextPage()}
                isLoading={directory.isFetchingNextPage}
                className="px-2 py-1.5 text-xs text-muted"
              >
                Loading more…
              </ListBoxLoadMoreItem>
            ) : null}
          </ListBox>
        </Popover>
      </ComboBox>
    </div>
  );
}
