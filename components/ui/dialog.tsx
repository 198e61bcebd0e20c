"use client";
import { useEffect, useRef, type ComponentProps, type ReactNode } from "react";
import { X } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * Focus goes back to the control that opened the dialog (WAI-ARIA dialog pattern) — also when the dialog
 * is unmounted rather than closed, which skips the browser's own restoration. An opener that can no
 * longer take focus (disabled or gone, e.g. "Create ticket" once the selection is cleared) hands it to
 * its nearest focusable ancestor (a region with tabIndex -1).
 */
function restoreFocus(opener: HTMLElement | null): void {
  if (!opener) return;
  // After the dialog is gone from the top layer, or the focus would land back inside it.
  setTimeout(() => {
    const active = document.activeElement;
    if (active && active !== document.body && !active.closest("dialog")) return; // the user moved on already
    for (let el: HTMLElement | null = opener; el; el = el.parentElement) {
      if (!el.isConnected) continue;
      el.focus({ preventScroll: true });
      if (document.activeElement === el) return;
    }
  }, 0);
}

/** Modal dialog on the native <dialog> element: focus trap, Escape to close and inert background for free. */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  size?: "md" | "lg";
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) {
      opener.current =
        document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
      el.showModal();
    }
    if (!open && el.open) {
      el.close();
      restoreFocus(opener.current);
      opener.current = null;
    }
  }, [open]);
  // Unmounted while open (the usual way feature dialogs close).
  useEffect(() => () => restoreFocus(opener.current), []);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      aria-labelledby="dialog-title"
      className={`m-auto w-[calc(100%-2rem)] rounded-lg border border-border bg-surface p-0 text-fg shadow-xl backdrop:bg-black/40 ${size === "lg" ? "max-w-3xl" : "max-w-lg"}`}
    >
      {open ? (
        <div className="flex max-h-[85vh] flex-col">
          <header className="flex items-start justify-between gap-3 border-b border-border px-5 py-3">
            <div>
              <h2 id="dialog-title" className="text-base font-semibold">
                {title}
              </h2>
              {description ? <p className="mt-0.5 text-sm text-muted">{description}</p> : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              className="rounded p-1 text-muted hover:bg-surface-2 hover:text-fg"
              aria-label="Close dialog"
            >
              <X aria-hidden className="size-4" />
            </button>
          </header>
          <div className="overflow-y-auto px-5 py-4">{children}</div>
          {footer ? <footer className="flex justify-end gap-2 border-t border-border px-5 py-3">{footer}</footer> : null}
        </div>
      ) : null}
    </dialog>
  );
}

/** A dialog footer's Cancel, then the button that acts (primary by default): it submits the form `form`, or runs `onClick`. */
export function DialogActions({
  onCancel,
  variant = "primary",
  children,
  ...button
}: { onCancel: () => void } & ComponentProps<typeof Button>) {
  return (
    <>
      <Button onClick={onCancel}>Cancel</Button>
      <Button variant={variant} {...button}>
        {children}
      </Button>
    </>
  );
}

/**
 * "Delete this?" before a destructive action: open while `item` is set; Cancel, or the danger button
 * `action`, which runs `onConfirm(item)` (the caller closes the dialog once it has succeeded).
 */
export function ConfirmDialog<T>({
  item,
  onClose,
  title,
  description,
  action,
  isPending,
  onConfirm,
  children,
}: {
  item: T | null;
  onClose: () => void;
  title: string;
  description?: (item: T) => ReactNode;
  action: string;
  isPending: boolean;
  onConfirm: (item: T) => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      open={item !== null}
      onClose={onClose}
      title={title}
      description={item !== null && description ? description(item) : undefined}
      footer={
        <DialogActions onCancel={onClose} variant="danger" isLoading={isPending} onClick={() => item !== null && onConfirm(item)}>
          {action}
        </DialogActions>
      }
    >
      {children}
    </Dialog>
  );
}
