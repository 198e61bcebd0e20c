// npm run db:migrate [-- --status] — applies prisma/migrations to DATABASE_URL, or to the embedded
// PostgreSQL under .data/pg when DATABASE_URL is unset. `--status` only reports.
import { migrate, migrationStatus } from "@/lib/db/migrate";
import { openLocalDatabase } from "@/lib/db/local-database";

async function main(): Promise<number> {
  const isStatusOnly = process.argv.slice(2).includes("--status");
  const database = await openLocalDatabase((message) => console.log(message));
  try {
    if (isStatusOnly) {
      const status = await migrationStatus(database.url);
      console.log(`applied: ${status.applied.length}, pending: ${status.pending.length}`);
      for (const name of status.pending) console.log(`  pending  ${name}`);
      for (const problem of status.problems) console.error(`  ${problem.kind}  ${problem.message}`);
      return status.problems.length > 0 ? 1 : 0;
    }
    const { applied } = await migrate(database.url, { log: (message) => console.log(message) });
    console.log(applied.length > 0 ? `applied ${applied.length} migration(s)` : "nothing to apply");
    return 0;
  } finally {
    await database.close();
  }
}

// Exit explicitly: the code must not depend on which handles happen to keep the loop alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
