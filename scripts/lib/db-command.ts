// What the database commands (npm run db:migrate, npm run db:migration) share: the database they work on
// and how they exit.
import { openLocalDatabase } from "@/lib/db/local-database";

/** Runs `fn` on DATABASE_URL, or on the embedded PostgreSQL under .data/pg when it is unset (started, then stopped). */
export async function withLocalDatabase<T>(fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const database = await openLocalDatabase((message) => console.log(message));
  try {
    return await fn(database.url);
  } finally {
    await database.close();
  }
}

/** Runs a command and exits with its code (1 with the message when it throws). */
export function exitWith(main: () => Promise<number>): void {
  // Exit explicitly: the code must not depend on which handles happen to keep the loop alive.
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
