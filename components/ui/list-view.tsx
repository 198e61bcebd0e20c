"use client";
import { type ReactNode } from "react";
import { connectionChoices, type ConnectionChoice } from "@/components/ui/choices";
import { CheckboxField, SelectField, type Choices } from "@/components/ui/field";
import { InvalidAddressState, pagingProblems, useLastPage, type AddressProblem } from "@/components/ui/list-query";
import { SearchField } from "@/components/ui/search-field";
import { ErrorState, SkeletonRows } from "@/components/ui/states";
import { Pagination, Table, TBody, TH, THead } from "@/components/ui/table";
import { useSearchState } from "@/components/ui/use-search-state";

// The scaffold of a list view (audit, sync runs, a run's changes, tickets, tokens): a filter bar whose
// controls read and write the address, then the table — or the address's problems, or the error — with
// its loading rows, empty state and pagination.

type SearchState = ReturnType<typeof useSearchState>;

/** A list whose filters, sort and page live in the address: the filters, the address's problems, and `get`/`update`. */
export type ListAddress<F> = SearchState & { filters: F; problems: AddressProblem[] };

export function useListAddress<F extends { page: number; pageSize: number }>(
  filtersOf: (state: SearchState["state"]) => F,
): ListAddress<F> {
  const search = useSearchState();
  return { ...search, filters: filtersOf(search.state), problems: pagingProblems(search.get) };
}

/** The filter bar: its controls apply as they change (nothing to submit). */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <form className="flex flex-wrap items-end gap-3 border-b border-border p-3" onSubmit={(e) => e.preventDefault()} aria-label={label}>
      {children}
    </form>
  );
}

type Bound = { address: Pick<SearchState, "get" | "update">; param: string; className?: string };

/** A select of the address parameter `param`; `all` is the empty choice ("All …"). */
export function AddressSelect({
  address,
  param,
  className,
  label,
  all,
  options,
}: Bound & { label: string; all?: string; options: Choices }) {
  return (
    <SelectField
      label={label}
      value={address.get(param) ?? ""}
      onChange={(e) => address.update({ [param]: e.target.value })}
      containerClassName={className}
      options={options}
    >
      {all !== undefined ? <option value="">{all}</option> : null}
    </SelectField>
  );
}

/** The "Connection" select of `connectionId` (an archived connection says so). */
export function AddressConnectionSelect({
  connections,
  ...props
}: Omit<Bound, "param"> & { connections: ConnectionChoice[]; all: string }) {
  return <AddressSelect {...props} param="connectionId" label="Connection" options={connectionChoices(connections)} />;
}

/** A search box of `param` (applies while typing; see <SearchField>). */
export function AddressSearch({ address, param, className, label, placeholder }: Bound & { label?: string; placeholder: string }) {
  return (
    <SearchField
      label={label}
      placeholder={placeholder}
      value={address.get(param) ?? ""}
      onSearch={(value, history) => address.update({ [param]: value }, { history })}
      containerClassName={className}
    />
  );
}

/** A checkbox that sets `param` to "true" (unchecked: absent). */
export function AddressCheckbox({ address, param, label, className }: Bound & { label: string }) {
  return (
    <CheckboxField
      className={className}
      label={label}
      checked={address.get(param) === "true"}
      onChange={(e) => address.update({ [param]: e.target.checked ? "true" : null })}
    />
  );
}

/** The list query (a React Query result). */
export type ListQuery<T> = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  data: { items: T[]; total: number } | undefined;
};

type Paging = { page: number; pageSize: number; onPage: (page: number) => void; onPageSize?: (size: number) => void; itemLabel: string };

/**
 * The table of a list: the address's problems or the query's error instead of it; loading rows while
 * pending; `empty` when nothing matches; pagination when `paging` is given and the list has loaded.
 */
export function ListTable<T>({
  query,
  problems = [],
  caption,
  head,
  skeletonRows,
  row,
  empty,
  paging,
}: {
  query: ListQuery<T>;
  problems?: AddressProblem[];
  caption: string;
  /** The header cells: a string is a plain <TH>; an element (with its key) stands as it is. */
  head: ReactNode[];
  skeletonRows?: number;
  row: (item: T) => ReactNode;
  empty: ReactNode;
  paging?: Paging;
}) {
  if (problems.length > 0) return <InvalidAddressState problems={problems} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  return (
    <>
      <Table caption={caption}>
        <THead>
          <tr>{head.map((h, i) => (typeof h === "string" ? <TH key={i}>{h}</TH> : h))}</tr>
        </THead>
        <TBody>{query.isPending ? <SkeletonRows columns={head.length} rows={skeletonRows} /> : query.data?.items.map(row)}</TBody>
      </Table>
      {query.data?.total === 0 ? empty : null}
      {query.data && paging ? <Pagination total={query.data.total} {...paging} /> : null}
    </>
  );
}

/** <ListTable> of a list paged in the address: pagination writes the address, a page past the end shows the last one. */
export function AddressListTable<T>({
  address,
  query,
  itemLabel,
  ...table
}: Omit<Parameters<typeof ListTable<T>>[0], "problems" | "paging"> & {
  address: ListAddress<{ page: number; pageSize: number }>;
  itemLabel: string;
}) {
  const { update, problems } = address;
  const { page, pageSize } = address.filters;
  useLastPage({ update, page, pageSize, total: query.data?.total, problems });
  const paging = {
    page,
    pageSize,
    itemLabel,
    onPage: (p: number) => update({ page: p }),
    onPageSize: (s: number) => update({ pageSize: s }),
  };
  return <ListTable query={query} problems={problems} paging={paging} {...table} />;
}
