import "server-only";

// Governance assignments as Defender holds them (owner, due date, the ticket in additionalData),
// stored against their findings. Assignments PostureDesk manages (their key is derived from the finding,
// lib/governance/keys.ts) are never overwritten here: their desired state is ours and lib/governance
// pushes it; one missing locally is adopted as Azure has it. Others are mirrored, and a full pass drops
// those Azure no longer has.
// Source: Resource Graph (one query for every subscription); without it, the per-recommendation ARM
// listing, bounded, since it costs a request per recommendation and subscription.
export { normalizeAssignment, ingestGovernance, type GovernanceInput } from "./governance-sql";
