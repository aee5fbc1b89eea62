# syntax=docker/dockerfile:1
# pd-warehouse image: `docker run … pd-warehouse sync` by default; any other command as arguments
# (`migrate`, `status`, `simulator --host 0.0.0.0 …`). See "BI stack (docker compose)" in README.md.

# Build stage: every dependency (TypeScript included), then src/ compiled to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies, the compiled CLI and the migrations it applies.
FROM node:20-bookworm-slim
# tini as PID 1 forwards SIGTERM/SIGINT to the CLI (which stops gracefully) and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY migrations ./migrations
COPY --from=build /app/dist ./dist
# bin/pd-warehouse.js runs dist/cli.js when it exists (it does here: no tsx at runtime).
# The embedded database (no DATABASE_URL) goes to /data, the one folder the non-root user may write.
RUN chmod 0755 bin/pd-warehouse.js \
  && ln -s /app/bin/pd-warehouse.js /usr/local/bin/pd-warehouse \
  && mkdir /data && chown node:node /data
ENV PD_WAREHOUSE_DATA_DIR=/data
USER node
ENTRYPOINT ["/usr/bin/tini", "--", "pd-warehouse"]
CMD ["sync"]
