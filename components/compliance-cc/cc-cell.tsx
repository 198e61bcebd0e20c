import { ExternalIdLink } from "@/components/ui/external-link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { type TFindingCc } from "@/lib/schemas/compliance-cc";

const RESULT_TONE: Record<string, BadgeTone> = { Failed: "danger", Passed: "success", Error: "warning", Unknown: "neutral" };

/** A finding's Configuration Compliance test result and remediation task (read from ServiceNow), next to it. */
export function CcCell({ cc, status }: { cc: TFindingCc | null; status: "Healthy" | "Unhealthy" | "NotApplicable" }) {
  if (!cc) {
    return (
      <span
        className="text-xs text-muted"
        title={status === "Unhealthy" ? "No CC test result from ServiceNow's Defender integration for this finding" : undefined}
      >
        No CC result
      </span>
    );
  }
  const task = cc.remediationTask;
  return (
    <div className="space-y-0.5 text-xs">
      <div className="flex flex-wrap items-center gap-1.5">
        <Badge
          tone={RESULT_TONE[cc.result] ?? "neutral"}
          title={`Test result ${cc.number}${cc.testName ? ` · ${cc.testName}` : ""} (${cc.connectionName})`}
        >
          CC {cc.result}
        </Badge>
        {status === "Healthy" && cc.result === "Failed" ? (
          <Badge tone="warning" title="Failed in Configuration Compliance while Defender reports it healthy">
            Disagrees
          </Badge>
        ) : null}
      </div>
      {task ? (
        <div className="text-muted">
          <div className="flex flex-wrap items-center gap-1 whitespace-nowrap">
            <ExternalIdLink href={task.url} id={task.number} label={`Remediation task ${task.number} in ServiceNow`} />
            <span>{task.state}</span>
          </div>
          {task.assignmentGroup ? (
            <div className="max-w-40 truncate" title={task.assignmentGroup}>
              {task.assignmentGroup}
            </div>
          ) : null}
        </div>
      ) : cc.result === "Failed" ? (
        <div className="text-muted">No remediation task</div>
      ) : null}
    </div>
  );
}
