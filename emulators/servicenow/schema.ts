// Dictionary of the emulated instance: which tables exist, their fields and types, display fields,
// number prefixes and the roles that may read, write and delete. Every value is stored as a string,
// as the Table API returns it ("true", "3", "2024-05-01 10:00:00", a sys_id for a reference).
import { TABLE_LIST } from "./tables";
import { META_TABLES } from "./tables-meta";

export type FieldType = "sys_id" | "string" | "integer" | "boolean" | "reference" | "glide_date_time" | "glide_date" | "journal";

export type FieldDef = {
  name: string;
  label: string;
  type: FieldType;
  /** Referenced table, for reference fields. */
  reference?: string;
  /** Set by the platform only (sys_ fields, number, computed priority). */
  isReadOnly?: boolean;
  maxLength?: number;
};

export type TableDef = {
  name: string;
  label: string;
  /** Field shown as a reference's display value. */
  displayField: string;
  numberPrefix?: string;
  numberStart?: number;
  fields: Record<string, FieldDef>;
  /** Roles any of which grant the operation; "admin" always does. */
  readRoles: string[];
  writeRoles: string[];
  deleteRoles: string[];
  /** Updates of these tables fire the outbound webhook (when configured for the table). */
  isWebhookSource?: boolean;
  /** sys_class_name of the records (task tables and cmdb_ci classes). */
  className?: string;
};

export const TABLES: ReadonlyMap<string, TableDef> = new Map([...TABLE_LIST, ...META_TABLES].map((t) => [t.name, t]));

/** cmdb_ci classes exposed as their own tables (records live in cmdb_ci with this sys_class_name). */
export const CI_CLASSES: Record<string, string> = {
  "Microsoft.Compute/virtualMachines": "cmdb_ci_vm_instance",
  "Microsoft.Storage/storageAccounts": "cmdb_ci_cloud_storage_account",
  "Microsoft.Sql/servers": "cmdb_ci_cloud_database",
  "Microsoft.Sql/servers/databases": "cmdb_ci_cloud_database",
  "Microsoft.KeyVault/vaults": "cmdb_ci_cloud_key_vault",
  "Microsoft.Web/sites": "cmdb_ci_cloud_webapp",
  "Microsoft.ContainerService/managedClusters": "cmdb_ci_kubernetes_cluster",
  "Microsoft.Network/networkSecurityGroups": "cmdb_ci_compute_security_group",
  "Microsoft.Network/virtualNetworks": "cmdb_ci_network",
};
export const DEFAULT_CI_CLASS = "cmdb_ci_cloud_resource";

export type ResolvedTable = { def: TableDef; storage: string; className?: string };

/** Table name in a URL → its definition and where its records live (CI classes share cmdb_ci). */
export function resolveTable(name: string): ResolvedTable | undefined {
  const def = TABLES.get(name);
  if (def) return { def, storage: def.name };
  const isCiClass = name === DEFAULT_CI_CLASS || Object.values(CI_CLASSES).includes(name);
  if (isCiClass) return { def: { ...TABLES.get("cmdb_ci")!, name }, storage: "cmdb_ci", className: name };
  return undefined;
}

export function fieldDef(table: TableDef, name: string): FieldDef | undefined {
  return Object.hasOwn(table.fields, name) ? table.fields[name] : undefined;
}
