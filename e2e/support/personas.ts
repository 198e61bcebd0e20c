// Demo personas seeded by the Entra ID emulator (emulators/seed/people.ts).
export const PERSONAS = {
  admin: { name: "Ada Admin", role: "Admin" },
  analyst: { name: "Ari Analyst", role: "Analyst" },
  manager: { name: "Mona Manager", role: "Manager" },
  norole: { name: "Nora Norole", role: null },
} as const;

export type Persona = keyof typeof PERSONAS;

export function storageStatePath(persona: Persona): string {
  return `test-results/.auth/${persona}.json`;
}
