// The instance's metadata tables, readable through the Table API as on a real instance:
// sys_dictionary (one row per table and per column), sys_data_policy2 and its rules
// (sys_data_policy_rule). Rows are written by the seed from the table definitions and the instance
// profile (profiles.ts); the dictionary's "mandatory" flag is informational only — it does not apply to
// web-service writes, data policies do (docs/EMULATORS.md, "Instance profiles").
import { type TableDef } from "./schema";

const SYS: TableDef["fields"] = {
  sys_id: { name: "sys_id", label: "Sys ID", type: "sys_id", isReadOnly: true },
  sys_created_on: { name: "sys_created_on", label: "Created", type: "glide_date_time", isReadOnly: true },
  sys_created_by: { name: "sys_created_by", label: "Created by", type: "string", isReadOnly: true },
  sys_updated_on: { name: "sys_updated_on", label: "Updated", type: "glide_date_time", isReadOnly: true },
  sys_updated_by: { name: "sys_updated_by", label: "Updated by", type: "string", isReadOnly: true },
  sys_mod_count: { name: "sys_mod_count", label: "Updates", type: "integer", isReadOnly: true },
};

const f = (name: string, label: string, type: TableDef["fields"][string]["type"], extra: Partial<TableDef["fields"][string]> = {}) => ({
  [name]: { name, label, type, ...extra },
});

// Reading the dictionary needs a role such as personalize_dictionary; data policies data_policy_admin
// (the documented role of sys_data_policy2). snc_read_only reads everything, admin always may.
export const META_TABLES: TableDef[] = [
  {
    name: "sys_dictionary",
    label: "Dictionary Entry",
    displayField: "column_label",
    readRoles: ["personalize_dictionary", "snc_read_only"],
    writeRoles: [],
    deleteRoles: [],
    fields: {
      ...SYS,
      ...f("name", "Table", "string"),
      ...f("element", "Column name", "string"),
      ...f("column_label", "Column label", "string"),
      ...f("internal_type", "Type", "string"),
      ...f("reference", "Reference", "string"),
      ...f("mandatory", "Mandatory", "boolean"),
      ...f("max_length", "Max length", "integer"),
      ...f("read_only", "Read only", "boolean"),
      ...f("active", "Active", "boolean"),
      ...f("default_value", "Default value", "string"),
      ...f("choice", "Choice", "integer"),
    },
  },
  {
    name: "sys_data_policy2",
    label: "Data Policy",
    displayField: "short_description",
    readRoles: ["data_policy_admin", "snc_read_only"],
    writeRoles: ["data_policy_admin"],
    deleteRoles: ["data_policy_admin"],
    fields: {
      ...SYS,
      ...f("short_description", "Short description", "string"),
      ...f("model_table", "Table", "string"),
      ...f("active", "Active", "boolean"),
      ...f("conditions", "Conditions", "string", { maxLength: 4000 }),
      ...f("inherit", "Inherit", "boolean"),
      ...f("reverse_if_false", "Reverse if false", "boolean"),
      ...f("apply_import_set", "Apply to import sets", "boolean"),
      ...f("apply_soap", "Apply to SOAP", "boolean"),
      ...f("ui_policy", "Use as UI Policy on client", "boolean"),
    },
  },
  {
    name: "sys_data_policy_rule",
    label: "Data Policy Rule",
    displayField: "field",
    readRoles: ["data_policy_admin", "snc_read_only"],
    writeRoles: ["data_policy_admin"],
    deleteRoles: ["data_policy_admin"],
    fields: {
      ...SYS,
      ...f("sys_data_policy", "Data policy", "reference", { reference: "sys_data_policy2" }),
      ...f("table", "Table", "string"),
      ...f("field", "Field name", "string"),
      ...f("mandatory", "Mandatory", "string"),
      ...f("disabled", "Read only", "string"),
    },
  },
];
