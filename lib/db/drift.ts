// Does a live database match prisma/schema.prisma? Asks the wasm schema engine for the migration
// that would take the database to the schema; an empty one means no drift. Used by the test that
// proves the migrations produce exactly what the schema describes.
import { NO_FILTERS, readSchemaFiles } from "@/lib/db/generate-migration";
import { engineCall, openSchemaEngine } from "@/lib/db/schema-engine";

export type SchemaDrift = {
  isEmpty: boolean;
  /** SQL that would take the database to the schema ("-- This is an empty migration." when none). */
  script: string;
};

export async function schemaDrift(options: { databaseUrl: string; schemaPath?: string }): Promise<SchemaDrift> {
  const schemaFiles = await readSchemaFiles(options.schemaPath);
  const session = await openSchemaEngine({ databaseUrl: options.databaseUrl, schemaFiles });
  try {
    const result = await engineCall(() =>
      session.engine.diff({
        // "schemaDatasource" = the database the engine is connected to.
        from: { tag: "schemaDatasource", files: schemaFiles, configDir: process.cwd() },
        to: { tag: "schemaDatamodel", files: schemaFiles },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      }),
    );
    return { isEmpty: result.exitCode === 0, script: result.stdout ?? "" };
  } finally {
    await session.close();
  }
}
