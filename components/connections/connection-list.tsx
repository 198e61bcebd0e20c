"use client";
import { useState, type ComponentType, type ReactNode } from "react";
import { Plus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { CheckboxField } from "@/components/ui/field";
import { ListTable, type ListQuery } from "@/components/ui/list-view";
import { EmptyState } from "@/components/ui/states";
import { TD, TH, TR } from "@/components/ui/table";

// The list of one kind of connection (Azure tenants, ServiceNow instances): a card with "Show archived"
// and "Add", one row per connection with Test / Edit / Delete, and the form, test and delete dialogs
// those open. Each kind gives its columns, its extra row actions and its dialogs.

export type ConnectionRow = { id: string; name: string; archivedAt: string | Date | null };

/** The props of a connection's dialogs: the form (`record` null to add one), Test, and the delete confirmation (`record` null while closed). */
export type FormDialogProps<T> = { record: T | null; onClose: () => void; onSaved: (saved: T, isNew: boolean) => void };
export type TestDialogProps<T> = { record: T; onClose: () => void };
export type DeleteDialogProps<T> = { record: T | null; onClose: () => void };

/** A column after "Name": its header and the cell of one connection. */
export type ConnectionColumn<T> = { header: ReactNode; className?: string; cellClassName?: string; cell: (item: T) => ReactNode };

/**
 * One kind of connection: what its card says (heading, Add button, the table's caption, the empty state
 * for an admin and for others), its columns after "Name" and its dialogs.
 */
export type ConnectionKind<T> = {
  headingId: string;
  title: string;
  description: string;
  addLabel: string;
  caption: string;
  empty: { icon: ReactNode; title: string };
  emptyHint: { admin: string; viewer: string };
  columns: Array<ConnectionColumn<T>>;
  dialogs: {
    Form: ComponentType<FormDialogProps<T>>;
    Test: ComponentType<TestDialogProps<T>>;
    Delete: ComponentType<DeleteDialogProps<T>>;
  };
};

/** "Show archived": the list query's filters (the defaults, or the same page size with archived ones) and the checkbox. */
export function useArchivedFilter<F extends { pageSize: number }>(defaults: F) {
  const [showArchived, setShowArchived] = useState(false);
  const filters = showArchived ? { includeArchived: true, pageSize: defaults.pageSize } : defaults;
  return { filters, toggle: { checked: showArchived, onChange: setShowArchived } };
}

export function ConnectionList<T extends ConnectionRow>(props: {
  kind: ConnectionKind<T>;
  isAdmin: boolean;
  archived: ReturnType<typeof useArchivedFilter>["toggle"];
  list: ListQuery<T>;
  /** After the name, e.g. badges. */
  nameExtra?: (item: T) => ReactNode;
  /** Between Test and Edit, e.g. "Sync now". */
  rowActions?: (item: T) => ReactNode;
}) {
  const { list, isAdmin, kind, archived } = props;
  const { columns } = kind;
  const { Form, Test, Delete } = kind.dialogs;
  const [editing, setEditing] = useState<T | "new" | null>(null);
  const [testing, setTesting] = useState<T | null>(null);
  const [archiving, setArchiving] = useState<T | null>(null);

  const actions = (item: T) => (
    <>
      <Button size="sm" variant="ghost" onClick={() => setTesting(item)} aria-label={`Test connection ${item.name}`}>
        Test
      </Button>
      {props.rowActions?.(item)}
      {isAdmin ? (
        <>
          <Button size="sm" variant="ghost" onClick={() => setEditing(item)} aria-label={`Edit connection ${item.name}`}>
            Edit
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setArchiving(item)} aria-label={`Delete connection ${item.name}`}>
            Delete
          </Button>
        </>
      ) : null}
    </>
  );

  return (
    <Card aria-labelledby={kind.headingId}>
      <CardHeader
        id={kind.headingId}
        title={kind.title}
        description={kind.description}
        actions={
          <>
            <CheckboxField label="Show archived" checked={archived.checked} onChange={(e) => archived.onChange(e.target.checked)} />
            {isAdmin ? (
              <Button variant="primary" size="sm" icon={<Plus aria-hidden className="size-4" />} onClick={() => setEditing("new")}>
                {kind.addLabel}
              </Button>
            ) : null}
          </>
        }
      />
      <ListTable
        query={list}
        caption={kind.caption}
        head={[
          "Name",
          ...columns.map((c, i) => (
            <TH key={`column-${i}`} className={c.className}>
              {c.header}
            </TH>
          )),
          <TH key="actions">
            <span className="sr-only">Actions</span>
          </TH>,
        ]}
        skeletonRows={2}
        row={(item) => (
          <TR key={item.id} className={item.archivedAt ? "opacity-60" : undefined}>
            <TD className="font-medium">
              {item.name} {item.archivedAt ? <Badge>Archived</Badge> : null}
              {props.nameExtra?.(item)}
            </TD>
            {columns.map((c, i) => (
              <TD key={i} className={c.cellClassName ?? c.className}>
                {c.cell(item)}
              </TD>
            ))}
            <TD className="text-right whitespace-nowrap">{item.archivedAt ? null : actions(item)}</TD>
          </TR>
        )}
        empty={
          <EmptyState
            icon={kind.empty.icon}
            title={kind.empty.title}
            description={isAdmin ? kind.emptyHint.admin : kind.emptyHint.viewer}
          />
        }
      />
      {editing ? (
        <Form
          record={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved, isNew) => {
            setEditing(null);
            if (isNew) setTesting(saved);
          }}
        />
      ) : null}
      {testing ? <Test record={testing} onClose={() => setTesting(null)} /> : null}
      <Delete record={archiving} onClose={() => setArchiving(null)} />
    </Card>
  );
}

/** "Delete this connection?": Cancel, or Delete (the page runs the archive and closes on success). */
export function DeleteConnectionDialog<T extends ConnectionRow>({
  record: item,
  onClose,
  title,
  description,
  isPending,
  onDelete,
  children,
}: DeleteDialogProps<T> & {
  title: string;
  description: (item: T) => string;
  isPending: boolean;
  onDelete: (item: T) => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      item={item}
      onClose={onClose}
      title={title}
      description={description}
      action="Delete"
      isPending={isPending}
      onConfirm={onDelete}
    >
      {children}
    </ConfirmDialog>
  );
}
