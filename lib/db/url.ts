// Small helpers around PostgreSQL connection strings and identifiers.

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Connection string without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}

/** A double-quoted SQL identifier (table, column, database, type). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
