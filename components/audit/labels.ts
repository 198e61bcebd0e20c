// The audit log in words a person uses: actions, target kinds and actor kinds (the stored identifiers stay
// in the data, the CSV and the filters; the page shows these).

const ACTION_LABELS: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_out": "Signed out",
  "auth.sign_out_everywhere": "Signed out everywhere",
  "connection.create": "Connection added",
  "connection.update": "Connection changed",
  "connection.archive": "Connection archived",
  "connection.sync": "Sync started",
  "sync.request": "Sync started",
  "governance.remove": "Governance assignment removed",
  "link.create": "Finding linked to a ticket",
  "link.delete": "Finding unlinked from a ticket",
  "rule.create": "Rule created",
  "rule.update": "Rule changed",
  "rule.enable": "Rule enabled",
  "rule.disable": "Rule disabled",
  "rule.delete": "Rule deleted",
  "rule.reorder": "Rules reordered",
  "saved_view.create": "Saved view created",
  "saved_view.update": "Saved view changed",
  "saved_view.delete": "Saved view deleted",
  "ticket.create": "Ticket created",
  "ticket.journal": "Work note or comment added",
  "token.create": "API token created",
  "token.revoke": "API token revoked",
};

const TARGET_LABELS: Record<string, string> = {
  api_token: "API token",
  azure_tenant: "Azure tenant",
  rule: "Rule",
  saved_view: "Saved view",
  servicenow_connection: "ServiceNow connection",
  ticket: "Ticket",
  user: "Person",
};

const ACTOR_LABELS: Record<string, string> = { user: "person", token: "API token", rule: "rule", system: "PostureDesk" };

function words(id: string): string {
  const text = id.replace(/[._]+/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "auth.sign_in" → "Signed in"; an action not listed is spelled out ("azure_tenant.update" → "Azure tenant update"). */
export function auditActionLabel(action: string): string {
  return ACTION_LABELS[action] ?? words(action);
}

export function auditTargetLabel(targetType: string): string {
  return TARGET_LABELS[targetType] ?? words(targetType);
}

export function auditActorLabel(actorType: string): string {
  return ACTOR_LABELS[actorType] ?? actorType;
}
