// Azure Resource Manager emulator for what PostureDesk uses: Microsoft.Security (assessments, metadata,
// sub-assessments, secure scores, regulatory compliance, governance assignments and rules), the
// subscription list and Resource Graph. See the route files for the exact paths; docs/EMULATORS.md for
// what is not implemented. Every answer carries ARM's request-id and x-ms-ratelimit-remaining-* headers.
import { createRouter } from "../common/http";
import type { EmulatorContext, EmulatorModule } from "../common/platform";
import { notFound, writeArmError } from "./errors";
import { registerAssessmentRoutes } from "./routes-assessments";
import { registerControlRoutes } from "./routes-control";
import { registerGovernanceRoutes } from "./routes-governance";
import { registerResourceGraphRoutes } from "./routes-resource-graph";
import { registerResourceControlRoutes } from "./routes-resources";
import { registerScoreRoutes } from "./routes-scores";
import type { ArmOptions, ArmRuntime } from "./runtime";
import { type ArmState, DEFAULT_CONFIG, restoreArmState, snapshotArmState, stateFromWorld } from "./state";

export type ArmEmulator = EmulatorModule & { state(): ArmState };

export function createArmEmulator(ctx: EmulatorContext, options: ArmOptions): ArmEmulator {
  let state = stateFromWorld(ctx.world, DEFAULT_CONFIG);
  const rt: ArmRuntime = {
    ctx,
    options,
    state: () => state,
    bump: () => {
      state.version++;
    },
  };
  const router = createRouter({
    // ARM's own error for unknown paths is a 404 in its error shape.
    writeError: (res, error) =>
      writeArmError(res, error.code === "NotFound" ? notFound(new URL(res.req.url ?? "/", "https://x").pathname) : error),
    maxBodyBytes: 4 * 1024 * 1024,
  });
  registerControlRoutes(router, rt);
  registerResourceControlRoutes(router, rt);
  registerResourceGraphRoutes(router, rt);
  registerScoreRoutes(router, rt);
  registerGovernanceRoutes(router, rt);
  registerAssessmentRoutes(router, rt);

  return {
    handle: (req, res) => router.handle(req, res),
    routeOf: (method, path) => router.templateFor(method, path),
    writeError: writeArmError,
    reset() {
      // Throttling and paging settings survive a state reset only through an explicit config call.
      state = stateFromWorld(ctx.world, DEFAULT_CONFIG);
    },
    snapshot: () => snapshotArmState(state),
    restore(snapshot) {
      state = restoreArmState(ctx.world, snapshot);
    },
    state: () => state,
  };
}
