import "server-only";
import { type AnyJobDefinition, type PeriodicTask } from "@/lib/jobs/define";
import { governanceCleanupJob } from "@/lib/governance/remove";
import { defenderIngestJob } from "@/lib/ingestion/job";
import { schemaRefreshTask } from "@/lib/instance-schema/job";
import { SYNC_JOBS, SYNC_PERIODIC } from "@/lib/sync/worker-jobs";
import { ticketRequestJob, ticketRequestSweep } from "@/lib/tickets/request-job";

// Every job the worker runs, and the periodic tasks it repeats. Features register their definitions here.
export const JOBS: AnyJobDefinition[] = [defenderIngestJob, ...SYNC_JOBS, ticketRequestJob, governanceCleanupJob];

export const PERIODIC: PeriodicTask[] = [...SYNC_PERIODIC, ticketRequestSweep, schemaRefreshTask];
