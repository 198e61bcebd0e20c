// Prisma CLI configuration. The URL is optional: `prisma generate` needs no database, and this
// project applies migrations with its own runner (scripts/db-migrate.ts), not the Prisma CLI.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
