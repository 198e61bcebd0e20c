// npm run db:migrate [-- --status] — applies prisma/migrations to DATABASE_URL, or to the embedded
// PostgreSQL under .data/pg when DATABASE_URL is unset. `--status` only reports.
import { migrate, migrationStatus } from "@/lib/db/migrate";
import { exitWith, withLocalDatabase } from "@/scripts/lib/db-command";

async function main(): Promise<number> {
  const isStatusOnly = process.argv.slice(2).includes("--status");
  return withLocalDatabase(async (databaseUrl) => {
    if (isStatusOnly) {
      const status = await migrationStatus(databaseUrl);
      console.log(`applied: ${status.applied.length}, pending: ${status.pending.length}`);
      for (const name of status.pending) console.log(`  pending  ${name}`);
      for (const problem of status.problems) console.error(`  ${problem.kind}  ${problem.message}`);
      return status.problems.length > 0 ? 1 : 0;
    }
    const { applied } = await migrate(databaseUrl, { log: (message) => console.log(message) });
    console.log(applied.length > 0 ? `applied ${applied.length} migration(s)` : "nothing to apply");
    return 0;
  });
}

exitWith(main);
