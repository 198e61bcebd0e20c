# PostureDesk container image: the self-contained Next.js server (standalone output). One image for
# every role: app instances (WORKER_IN_PROCESS=false behind a load balancer) and workers
# (WORKER_IN_PROCESS=true, not exposed). Migrations run at start (MIGRATE_ON_START=true, advisory-locked).
#   docker build -t posturedesk .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT_STANDALONE=1
RUN node scripts/prisma-generate.mjs && node node_modules/next/dist/bin/next build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 MIGRATE_ON_START=true
RUN groupadd --system --gid 1001 posturedesk && useradd --system --uid 1001 --gid posturedesk posturedesk
COPY --from=build --chown=posturedesk:posturedesk /app/.next/standalone ./
COPY --from=build --chown=posturedesk:posturedesk /app/.next/static ./.next/static
COPY --from=build --chown=posturedesk:posturedesk /app/public ./public
COPY --from=build --chown=posturedesk:posturedesk /app/prisma/migrations ./prisma/migrations
USER posturedesk
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "server.js"]
