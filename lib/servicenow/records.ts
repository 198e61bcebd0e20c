// Shapes of Table API answers, validated with zod, and helpers to read cells.
// Every value comes as a string; reference fields as {link, value}; with sysparm_display_value=all every
// field as {display_value, value}.
import { z } from "zod";

const ZCellObject = z.object({
  value: z.string().optional(),
  display_value: z.string().optional(),
  link: z.string().optional(),
});

export const ZCell = z.union([z.string(), ZCellObject]);
export type ServiceNowCell = z.infer<typeof ZCell>;
export type ServiceNowRecord = Record<string, ServiceNowCell>;

export const ZRecord = z.record(z.string(), ZCell);
export const ZListResponse = z.object({ result: z.array(ZRecord) });
export const ZSingleResponse = z.object({ result: ZRecord });

/** The stored (actual) value of a cell: the sys_id of a reference, the value of a choice. */
export function cellValue(cell: ServiceNowCell | undefined): string {
  if (cell === undefined) return "";
  if (typeof cell === "string") return cell;
  return cell.value ?? cell.display_value ?? "";
}

/** The display value of a cell when the record was read with display values, else its value. */
export function cellDisplay(cell: ServiceNowCell | undefined): string {
  if (cell === undefined) return "";
  if (typeof cell === "string") return cell;
  return cell.display_value ?? cell.value ?? "";
}

/** `<url>;rel="next",<url>;rel="last"` → { next: url, last: url }. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const m of header.matchAll(/<([^>]+)>\s*;\s*rel="?([a-z]+)"?/gi)) links[m[2]!.toLowerCase()] = m[1]!;
  return links;
}
