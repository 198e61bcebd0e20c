import "server-only";
import { type AnyJobDefinition } from "@/lib/jobs/define";

// Every job the worker runs. Features register their definitions here.
export const JOBS: AnyJobDefinition[] = [];
