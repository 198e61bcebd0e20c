import "server-only";

// PostureDesk's ServiceNow client: Table API (list one page, iterate through the Link header, get,
// create, update, remove), over Basic or OAuth credentials. Table and field
// names are checked before sending (fields.ts); values and queries are escaped (query.ts); every call
// has a timeout and the retry policy of transport.ts; failures are AppErrors carrying ServiceNow's
// message (errors.ts).
import { type ZodType } from "zod";
import { AppError } from "@/lib/http/errors";
import { basicAuthProvider, oauthProvider, type ServiceNowAuth } from "./auth";
import { formatServiceNowDateTime } from "./dates";
import { serviceNowResponseError, type RequestLabel } from "./errors";
import { assertColumnNames, assertFields, assertTable, type ServiceNowTable } from "./fields";
import { type ServiceNowQuery } from "./query";
import { parseLinkHeader, type ServiceNowRecord, ZListResponse, ZSingleResponse } from "./records";
import { assertSameOrigin, createTransport, type RequestInfo, type Send, type ServiceNowLogger } from "./transport";

export type ServiceNowClientOptions = {
  /** e.g. https://acme.service-now.com (no trailing path). */
  instanceUrl: string;
  auth: ServiceNowAuth;
  /** Per attempt, connect to last byte (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** First backoff step (default 500 ms); doubles per retry, with jitter, up to maxRetryDelayMs (default 30 s). */
  retryBaseDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A 429 asking to wait longer than this is returned to the caller instead (default 60 s). */
  maxRetryAfterSeconds?: number;
  logger?: ServiceNowLogger;
  onRequest?: (info: RequestInfo) => void;
};

export type DisplayValue = boolean | "all";

export type ReadOptions = {
  fields?: string[];
  displayValue?: DisplayValue;
  excludeReferenceLink?: boolean;
};

export type ListOptions = ReadOptions & {
  query?: ServiceNowQuery;
  /** Page size (default 1000; the platform's maximum default is 10000). */
  limit?: number;
  offset?: number;
  /** Skip the count query (no X-Total-Count; faster on big tables). */
  noCount?: boolean;
};

export type ListPage = {
  records: ServiceNowRecord[];
  /** Whether the answer carried a Link header at all (proxies may strip it). */
  hasLinkHeader: boolean;
  /** X-Total-Count, or null with noCount. */
  total: number | null;
  offset: number;
  /** Absolute URL of the next page from the Link header (null on the last page). */
  nextUrl: string | null;
};

export type WriteValue = string | number | boolean | Date | null;
export type WriteOptions = ReadOptions & {
  /** Send choice labels and reference display values instead of stored values. */
  inputDisplayValue?: boolean;
  /** Names in `values` that the instance's discovered schema knows (custom and configured fields). */
  instanceFields?: readonly string[];
};

const JOURNAL_FIELDS = ["work_notes", "comments"];

function encodeValues(
  table: ServiceNowTable,
  values: Record<string, WriteValue>,
  instanceFields: readonly string[] = [],
): Record<string, string> {
  assertColumnNames(instanceFields);
  assertFields(
    table,
    Object.keys(values).filter((k) => !instanceFields.includes(k)),
  );
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, v === null ? "" : v instanceof Date ? formatServiceNowDateTime(v) : String(v)]),
  );
}

function parse<T>(schema: ZodType<T>, bodyText: string, label: RequestLabel): T {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    throw serviceNowResponseError(label, "not JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw serviceNowResponseError(label, result.error.issues[0]?.message ?? "unexpected shape");
  return result.data;
}

function readParams(table: ServiceNowTable, options: ReadOptions, params: URLSearchParams): void {
  if (options.fields?.length) {
    assertFields(table, options.fields);
    params.set("sysparm_fields", options.fields.join(","));
  }
  if (options.displayValue !== undefined) params.set("sysparm_display_value", String(options.displayValue));
  if (options.excludeReferenceLink) params.set("sysparm_exclude_reference_link", "true");
}

/**
 * Configuration Compliance results come only from ServiceNow's own pull integrations (for Defender, its
 * "Microsoft Defender for Cloud" integration); CC has no documented push API. PostureDesk reads sn_vulc
 * tables and never writes them: a write would be a bug, so it fails before anything is sent.
 */
function assertWritable(table: string): void {
  assertTable(table);
  if (table.startsWith("sn_vulc"))
    throw new AppError("INTERNAL", { message: `PostureDesk never writes Configuration Compliance tables ('${table}')` });
}

export function normalizeInstanceUrl(instanceUrl: string): URL {
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    throw new AppError("BAD_REQUEST", { message: "The ServiceNow instance URL is not a valid URL" });
  }
  if (!["https:", "http:"].includes(url.protocol) || url.username || url.password) {
    throw new AppError("BAD_REQUEST", { message: "The ServiceNow instance URL must be http(s) without credentials" });
  }
  return new URL(url.origin);
}

export function createServiceNowClient(options: ServiceNowClientOptions) {
  const base = normalizeInstanceUrl(options.instanceUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;

  const auth =
    options.auth.type === "basic"
      ? basicAuthProvider(options.auth.username, options.auth.password)
      : oauthProvider(options.auth, async (form) => {
          const response = await fetch(new URL("/oauth_token.do", base), {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
            body: form.toString(),
            signal: AbortSignal.timeout(timeoutMs),
            redirect: "manual",
          }).catch((error: unknown) => {
            throw new AppError("UPSTREAM_UNAVAILABLE", { message: "ServiceNow OAuth token endpoint could not be reached", cause: error });
          });
          return { status: response.status, bodyText: await response.text() };
        });

  const send: Send = createTransport({
    auth,
    timeoutMs,
    maxRetries: options.maxRetries ?? 4,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    logger: options.logger,
    onRequest: options.onRequest,
  });

  const tableUrl = (table: string, sysId?: string) =>
    new URL(`/api/now/table/${encodeURIComponent(table)}${sysId ? `/${encodeURIComponent(sysId)}` : ""}`, base);

  async function fetchPage(table: ServiceNowTable, url: URL, offset: number): Promise<ListPage> {
    const label = { method: "GET", target: table };
    const result = await send({ method: "GET", url, isIdempotent: true, label });
    const body = parse(ZListResponse, result.bodyText, label);
    const totalHeader = result.headers.get("x-total-count");
    const linkHeader = result.headers.get("link");
    const next = parseLinkHeader(linkHeader).next ?? null;
    if (next) assertSameOrigin(new URL(next), base);
    return {
      records: body.result,
      hasLinkHeader: linkHeader !== null,
      total: totalHeader !== null ? Number(totalHeader) : null,
      offset,
      nextUrl: next,
    };
  }

  function listUrl(table: ServiceNowTable, opts: ListOptions): URL {
    const url = tableUrl(table);
    const query = opts.query?.toString(table);
    if (query) url.searchParams.set("sysparm_query", query);
    readParams(table, opts, url.searchParams);
    url.searchParams.set("sysparm_limit", String(opts.limit ?? 1000));
    url.searchParams.set("sysparm_offset", String(opts.offset ?? 0));
    if (opts.noCount) url.searchParams.set("sysparm_no_count", "true");
    return url;
  }

  const client = {
    instanceUrl: base.origin,

    /** One page of a table. */
    async list(table: ServiceNowTable, opts: ListOptions = {}): Promise<ListPage> {
      assertTable(table);
      return fetchPage(table, listUrl(table, opts), opts.offset ?? 0);
    },

    /** Every page, following the Link header's rel="next" (offset paging when the header is absent). */
    async *iteratePages(table: ServiceNowTable, opts: ListOptions = {}): AsyncGenerator<ListPage> {
      assertTable(table);
      const limit = opts.limit ?? 1000;
      let url: URL | null = listUrl(table, { ...opts, limit });
      let offset = opts.offset ?? 0;
      while (url) {
        const page: ListPage = await fetchPage(table, url, offset);
        yield page;
        offset += page.records.length;
        if (page.hasLinkHeader) url = page.nextUrl ? new URL(page.nextUrl) : null;
        else if (page.records.length === limit && (page.total === null || offset < page.total)) {
          // No Link header (stripped on the way): fall back to offset paging.
          url = listUrl(table, { ...opts, limit, offset });
        } else url = null;
      }
    },

    /** Every record, page by page. */
    async *iterate(table: ServiceNowTable, opts: ListOptions = {}): AsyncGenerator<ServiceNowRecord> {
      for await (const page of client.iteratePages(table, opts)) yield* page.records;
    },

    /** One record by sys_id; null when it does not exist (or ACLs hide it). */
    async get(table: ServiceNowTable, sysId: string, opts: ReadOptions = {}): Promise<ServiceNowRecord | null> {
      assertTable(table);
      const url = tableUrl(table, sysId);
      readParams(table, opts, url.searchParams);
      const label = { method: "GET", target: `${table}/${sysId}` };
      try {
        const result = await send({ method: "GET", url, isIdempotent: true, label });
        return parse(ZSingleResponse, result.bodyText, label).result;
      } catch (error) {
        if (error instanceof AppError && error.code === "UPSTREAM_NOT_FOUND") return null;
        throw error;
      }
    },

    /**
     * Inserts one record. Never repeated after a timeout or 5xx: those fail with UPSTREAM_UNCERTAIN
     * (look the record up by correlation_id before retrying).
     */
    async create(table: ServiceNowTable, values: Record<string, WriteValue>, opts: WriteOptions = {}): Promise<ServiceNowRecord> {
      assertTable(table);
      return write("POST", table, undefined, values, opts, false);
    },

    /** Partial update (PATCH). Repeated on failure unless it adds a journal entry (work note, comment). */
    async update(
      table: ServiceNowTable,
      sysId: string,
      values: Record<string, WriteValue>,
      opts: WriteOptions = {},
    ): Promise<ServiceNowRecord> {
      assertTable(table);
      const addsJournal = Object.keys(values).some((k) => JOURNAL_FIELDS.includes(k));
      return write("PATCH", table, sysId, values, opts, !addsJournal);
    },

    async remove(table: ServiceNowTable, sysId: string): Promise<void> {
      assertWritable(table);
      await send({
        method: "DELETE",
        url: tableUrl(table, sysId),
        isIdempotent: true,
        label: { method: "DELETE", target: `${table}/${sysId}` },
      });
    },

    /**
     * A call to one of the instance's other REST APIs (e.g. the Change Management API, sn_chg_rest),
     * through the same auth, timeout and retry policy. `path` starts with /api/; the body is JSON.
     * Non-idempotent calls are never repeated after an unknown outcome (UPSTREAM_UNCERTAIN).
     */
    async callApi(
      method: "GET" | "POST" | "PATCH",
      path: string,
      options: { query?: Record<string, string>; body?: unknown; isIdempotent?: boolean } = {},
    ): Promise<{ status: number; json: unknown }> {
      if (!/^\/api\/[a-z0-9_]+\/[A-Za-z0-9_/.-]+$/.test(path))
        throw new AppError("INTERNAL", { message: `Invalid ServiceNow API path '${path}'` });
      const url = new URL(path, base);
      for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
      const label = { method, target: path.replace(/^\/api\//, "") };
      const result = await send({ method, url, body: options.body, isIdempotent: options.isIdempotent ?? method === "GET", label });
      try {
        return { status: result.status, json: JSON.parse(result.bodyText) as unknown };
      } catch {
        throw serviceNowResponseError(label, "not JSON");
      }
    },
  };

  async function write(
    method: "POST" | "PATCH",
    table: ServiceNowTable,
    sysId: string | undefined,
    values: Record<string, WriteValue>,
    opts: WriteOptions,
    isIdempotent: boolean,
  ) {
    assertWritable(table);
    const body = encodeValues(table, values, opts.instanceFields);
    const url = tableUrl(table, sysId);
    readParams(table, opts, url.searchParams);
    if (opts.inputDisplayValue) url.searchParams.set("sysparm_input_display_value", "true");
    const label = { method, target: sysId ? `${table}/${sysId}` : table };
    const result = await send({ method, url, body, isIdempotent, label });
    return parse(ZSingleResponse, result.bodyText, label).result;
  }

  return client;
}

export type ServiceNowClient = ReturnType<typeof createServiceNowClient>;
