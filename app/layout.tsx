import type { Metadata, Viewport } from "next";
import { type ReactNode } from "react";
import { Providers } from "@/components/shell/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "PostureDesk", template: "%s · PostureDesk" },
  description: "Defender for Cloud recommendations next to the ServiceNow tickets that track them.",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
