"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect } from "react";
import { TriangleAlert } from "lucide-react";

// The shared scaffold of a list page's address: one message for values in the URL that the list cannot
// use (whether the page finds them itself, like `?page=abc`, or the API refuses them with 422, like
// `?severity=banana`), and a page number past the end shown as the last page.

export type AddressProblem = { param: string; message: string };

const POSITIVE_INT = /^[1-9]\d{0,8}$/;

/** `page` and `pageSize` that are not whole numbers from 1: a list page reads these itself. */
export function pagingProblems(get: (key: string) => string | undefined): AddressProblem[] {
  const out: AddressProblem[] = [];
  const page = get("page");
  if (page !== undefined && !POSITIVE_INT.test(page)) out.push({ param: "page", message: "is not a page number (1, 2, 3…)." });
  const size = get("pageSize");
  if (size !== undefined && !POSITIVE_INT.test(size)) out.push({ param: "pageSize", message: "is not a number of rows." });
  return out;
}

/** The values of the address a list's query schema refuses (lists that read their address leniently check it with this). */
export function schemaProblems(
  schema: { safeParse: (input: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  state: Record<string, string | string[] | undefined>,
): AddressProblem[] {
  const clean: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(state)) if (value !== undefined && value !== "") clean[key] = value;
  const result = schema.safeParse(clean);
  if (result.success || !result.error) return [];
  const seen = new Set<string>();
  const out: AddressProblem[] = [];
  for (const issue of result.error.issues) {
    const param = String(issue.path[0] ?? "");
    if (!param || seen.has(param)) continue;
    seen.add(param);
    out.push({ param, message: readable(issue.message) });
  }
  return out;
}

/** The API's 422 for query parameters (`errors[].path` = "query.<param>[.<index>]") as address problems; null for any other error. */
export function addressProblemsOf(error: unknown): AddressProblem[] | null {
  if (!error || typeof error !== "object") return null;
  const e = error as { name?: string; status?: number; errors?: Array<{ path: string; message: string }> };
  if (e.name !== "ApiError" || (e.status !== 422 && e.status !== 400) || !e.errors?.length) return null;
  if (!e.errors.every((x) => x.path.startsWith("query."))) return null;
  const seen = new Set<string>();
  const out: AddressProblem[] = [];
  for (const x of e.errors) {
    const param = x.path.split(".")[1] ?? "";
    if (seen.has(param)) continue;
    seen.add(param);
    out.push({ param, message: readable(x.message) });
  }
  return out;
}

/** zod's messages, in the words of this page. */
function readable(message: string): string {
  const options = /^Invalid option: expected one of (.+)$/.exec(message);
  if (options)
    return `is not one of ${options[1]!
      .split("|")
      .map((s) => s.replace(/^"|"$/g, ""))
      .join(", ")}.`;
  if (/expected number/i.test(message)) return "is not a number.";
  if (/expected boolean|"true"\|"false"/i.test(message)) return "is not true or false.";
  if (/invalid uuid/i.test(message)) return "is not a valid id.";
  return message.endsWith(".") ? message : `${message}.`;
}

/**
 * The one message for an address a list cannot use: which parameter, the value given, what is wrong,
 * and a link to the same list without those values.
 */
export function InvalidAddressState({ problems }: { problems: AddressProblem[] }) {
  const params = useSearchParams();
  const pathname = usePathname();
  const without = new URLSearchParams(params.toString());
  for (const p of problems) without.delete(p.param);
  const qs = without.toString();
  return (
    <div className="flex flex-col items-center justify-center gap-2 px-6 py-12 text-center" role="alert" data-testid="invalid-address">
      <TriangleAlert aria-hidden className="size-8 text-warning" />
      <p className="text-sm font-medium">This address has {problems.length === 1 ? "a value" : "values"} the list cannot use</p>
      <ul className="max-w-lg text-sm text-muted">
        {problems.map((p) => (
          <li key={p.param}>
            <code className="rounded bg-surface-2 px-1 font-mono text-xs text-fg">
              {p.param}={params.getAll(p.param).join(",") || "…"}
            </code>{" "}
            {p.message}
          </li>
        ))}
      </ul>
      <Link href={qs ? `${pathname}?${qs}` : pathname} className="mt-2 text-sm font-medium text-accent hover:underline">
        Show the list without {problems.length === 1 ? "it" : "them"}
      </Link>
    </div>
  );
}

type Update = (changes: Record<string, string | undefined | null | number>, opts?: { history?: "push" | "replace" }) => void;

/**
 * A page number past the last page shows the last page: the address is replaced (no history entry). Not
 * while the address has problems (the list is not shown then).
 */
export function useLastPage({
  update,
  page,
  pageSize,
  total,
  problems,
}: {
  update: Update;
  page: number;
  pageSize: number;
  total: number | undefined;
  problems: AddressProblem[];
}): void {
  const isUsable = problems.length === 0;
  const toPage = useCallback((p: number) => update({ page: p }, { history: "replace" }), [update]);
  useEffect(() => {
    if (!isUsable || total === undefined || pageSize <= 0) return;
    const last = Math.max(1, Math.ceil(total / pageSize));
    if (page > last) toPage(last);
  }, [isUsable, page, pageSize, total, toPage]);
}
