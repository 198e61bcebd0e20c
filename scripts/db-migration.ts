// npm run db:migration -- NAME [--schema prisma/schema.prisma] [--dir prisma/migrations]
// Writes prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that takes the
// existing migrations to schema.prisma, or says "no changes". Works offline (wasm schema engine)
// against DATABASE_URL's server, or the embedded PostgreSQL under .data/pg when it is unset.
import { parseArgs } from "node:util";
import { generateMigration } from "@/lib/db/generate-migration";
import { exitWith, withLocalDatabase } from "@/scripts/lib/db-command";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { schema: { type: "string" }, dir: { type: "string" } },
  });
  const name = positionals.join(" ").trim();
  if (!name) {
    console.error("usage: npm run db:migration -- NAME   (e.g. npm run db:migration -- add rule owner)");
    return 2;
  }
  return withLocalDatabase(async (databaseUrl) => {
    const result = await generateMigration({
      databaseUrl,
      name,
      schemaPath: values.schema,
      migrationsDir: values.dir,
    });
    if (result.status === "no-changes") {
      console.log("no changes: the migrations already produce what prisma/schema.prisma describes");
    } else {
      console.log(`created ${result.directory}/migration.sql`);
      console.log("review it (add what Prisma cannot express, e.g. triggers), then run npm run db:migrate");
    }
    return 0;
  });
}

exitWith(main);
