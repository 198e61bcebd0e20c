// A CSV file as the answer of a GET: streamed as is, offered as a download under its name, never cached
// or sniffed as something else (the sync events and compliance exports).

export function csvDownload(file: { filename: string; body: BodyInit }): Response {
  return new Response(file.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
