// Prisma's schema engine, compiled to WebAssembly (@prisma/schema-engine-wasm), driven through
// @prisma/adapter-pg. Prisma 7's CLI only runs the native engine, which is downloaded at install
// time from Prisma's binary host (unreachable offline); the wasm build does the same diffing.
//
// Four things the stock adapter gets wrong for the schema engine, fixed here:
// - it cannot type PostgreSQL's one-byte catalog type `"char"` (pg_constraint.contype, …): we
//   relabel it as a character column;
// - its executeScript splits scripts on ";" (breaks $$ function bodies): we send the script whole;
// - its shadow database inherits the main connection string (so it is the main database) and is
//   dropped while its pool is still connected: we create and drop shadow databases ourselves;
// - engine.free() leaves connections open: we end every pool we created.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import type * as WasmGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import { quoteIdent, withDatabase } from "@/lib/db/url";

export type { SchemaEngine };

export type SchemaFile = { path: string; content: string };

export type SchemaEngineSession = {
  engine: SchemaEngine;
  /** Frees the engine, ends every connection it used and drops leftover shadow databases. */
  close(): Promise<void>;
};

const CHAR_OID = 18;
const TEXT_OID = 25;

type WasmRuntime = typeof WasmGlue;

let runtimePromise: Promise<WasmRuntime> | undefined;
let lastPanic: string | undefined;

/** wasm-bindgen modules can be instantiated once per process. */
function loadRuntime(): Promise<WasmRuntime> {
  runtimePromise ??= (async () => {
    // The engine reports Rust panics here; without it the message is lost ("unreachable").
    const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
    registry.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        lastPanic = message;
      },
    };
    // The package's main entry imports the .wasm file as an ES module, which Node 20 cannot do:
    // load the JS glue and instantiate the binary ourselves (as @prisma/internals does).
    const runtime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(gluePath.replace(/\.js$/, ".wasm"));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      "./schema_engine_bg.js": runtime as unknown as WebAssembly.ModuleImports,
    });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime;
  })();
  return runtimePromise;
}

/**
 * The adapter's queryRaw, except that `"char"` columns come back as Character instead of failing
 * with "Unsupported column type char". The stock queryRaw runs on a per-call view of the
 * queryable whose performIO relabels those columns as text before the type mapping sees them.
 */
function withCharColumns<T extends SqlDriverAdapter | Transaction>(queryable: T): T {
  const target = queryable as T & { performIO(query: SqlQuery): Promise<pg.QueryArrayResult> };
  const stockQueryRaw = Object.getPrototypeOf(target).queryRaw as (this: T, query: SqlQuery) => Promise<SqlResultSet>;
  target.queryRaw = async (query: SqlQuery) => {
    let charColumns: number[] = [];
    const view = Object.create(target, {
      performIO: {
        value: async (q: SqlQuery) => {
          const result = await target.performIO(q);
          charColumns = [];
          result.fields.forEach((field, index) => {
            if (field.dataTypeID === CHAR_OID) {
              charColumns.push(index);
              field.dataTypeID = TEXT_OID;
            }
          });
          return result;
        },
      },
    }) as T;
    const resultSet = await stockQueryRaw.call(view, query);
    for (const index of charColumns) resultSet.columnTypes[index] = ColumnTypeEnum.Character;
    return resultSet;
  };
  return target;
}

async function connectAdapter(pool: pg.Pool): Promise<SqlDriverAdapter> {
  const adapter = withCharColumns(await new PrismaPg(pool).connect());
  // Whole script in one simple-protocol query: PostgreSQL splits statements correctly itself.
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => withCharColumns(await startTransaction(isolationLevel));
  return adapter;
}

/**
 * Opens the wasm schema engine on `databaseUrl` (its "main" database). Shadow databases, when the
 * engine asks for one, are created next to it (the role needs CREATEDB, as for `prisma migrate dev`).
 */
export async function openSchemaEngine(options: {
  databaseUrl: string;
  schemaFiles?: SchemaFile[];
  log?: (message: string) => void;
}): Promise<SchemaEngineSession> {
  const runtime = await loadRuntime();
  const pools: pg.Pool[] = [];
  const shadowDatabases = new Set<string>();
  const admin = new pg.Client({ connectionString: options.databaseUrl, application_name: "posturedesk-schema-engine" });
  admin.on("error", () => {});
  await admin.connect();

  const newPool = (url: string) => {
    const pool = new pg.Pool({ connectionString: url, max: 4, application_name: "posturedesk-schema-engine" });
    pool.on("error", () => {});
    pools.push(pool);
    return pool;
  };
  const endPool = async (pool: pg.Pool) => {
    if (!pool.ended) await pool.end().catch(() => {});
  };
  const dropShadow = async (name: string) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    shadowDatabases.delete(name);
  };

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: async () => {
      const pool = newPool(options.databaseUrl);
      const adapter = await connectAdapter(pool);
      adapter.dispose = () => endPool(pool);
      return adapter;
    },
    connectToShadowDb: async () => {
      const name = `prisma_migrate_shadow_db_${randomBytes(8).toString("hex")}`;
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      shadowDatabases.add(name);
      const pool = newPool(withDatabase(options.databaseUrl, name));
      const adapter = await connectAdapter(pool);
      adapter.dispose = async () => {
        await endPool(pool);
        await dropShadow(name);
      };
      return adapter;
    },
  };

  const log = options.log ?? (() => {});
  const datamodels = options.schemaFiles?.map((file): [string, string] => [file.path, file.content]);
  let engine: SchemaEngine;
  try {
    engine = await runtime.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(factory));
  } catch (error) {
    await Promise.all(pools.map(endPool));
    await admin.end().catch(() => {});
    throw explainEngineError(error);
  }

  let isClosed = false;
  return {
    engine,
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      try {
        engine.free();
      } finally {
        await Promise.all(pools.map(endPool));
        for (const name of [...shadowDatabases]) await dropShadow(name).catch(() => {});
        await admin.end().catch(() => {});
      }
    },
  };
}

/** Adds the Rust panic message (when there was one) to an error thrown by the engine. */
export function explainEngineError(error: unknown): Error {
  const panic = lastPanic;
  lastPanic = undefined;
  const base = error instanceof Error ? error : new Error(String(error));
  if (panic) return new Error(`Prisma schema engine panicked: ${panic}`, { cause: base });
  return base;
}

/** Runs one engine call, turning panics into readable errors. */
export async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainEngineError(error);
  }
}
