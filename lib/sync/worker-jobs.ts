import "server-only";

// The sync engine's job handler and periodic task, registered in lib/jobs/registry.ts (the worker only).
import { definePeriodic, withHandler } from "@/lib/jobs/define";
import { handleConnectionJob } from "./handler";
import { SCHEDULER_INTERVAL_MS, syncConnectionJob } from "./jobs";
import { schedulerTick } from "./scheduler";

export const SYNC_JOBS = [withHandler(syncConnectionJob, handleConnectionJob)];

/** Due schedules, interrupted runs, queued runs nobody woke a worker for. */
export const SYNC_PERIODIC = [definePeriodic({ name: "sync-scheduler", intervalMs: SCHEDULER_INTERVAL_MS, run: schedulerTick })];
