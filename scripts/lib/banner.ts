import { type EmulatorManifest } from "@/emulators/manifest";

export function printBanner({
  appUrl,
  manifest,
  manifestPath,
  seconds,
}: {
  appUrl: string;
  manifest: EmulatorManifest | null;
  manifestPath: string;
  seconds: number;
}): void {
  const lines = ["", `  PostureDesk is running: ${appUrl}   (ready in ${seconds.toFixed(1)} s)`, ""];
  if (manifest) {
    lines.push("  Demo sign-in (the Entra ID emulator lists these users; no password needed):");
    for (const user of manifest.users) {
      lines.push(`    ${(user.role ?? "no role").padEnd(8)} ${user.displayName.padEnd(16)} ${user.email}`);
    }
    lines.push("", `  Emulators: Entra ID ${manifest.entra.url} · ARM ${manifest.arm.url} · ServiceNow ${manifest.servicenow.url}`);
    lines.push(`  ServiceNow demo user: ${manifest.servicenow.username} (password in ${manifestPath})`);
  }
  lines.push("", "  Press Ctrl-C to stop.", "");
  process.stdout.write(lines.join("\n") + "\n");
}
