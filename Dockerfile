# syntax=docker/dockerfile:1
# One image for every Nerdistan CDP process: the web app (default command), the worker
# (`npm run worker`), migrations (`npm run migrate`) and admin commands (`npm run cdp -- …`).
# PostgreSQL and Temporal are external (see docker-compose.yml); the embedded ones are for `npm start`.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: every dependency, for the build ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: npm 11 skips dependencies' install scripts unless allowed, and the app is developed and
# tested that way (native parts ship as prebuilt optional packages); npm 10 in this image would run them.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund

# ---- prod-deps: runtime dependencies only ----
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- build: the web app (build/server, build/client) and the prebuilt workflow bundle (build/workflows) ----
FROM deps AS build
COPY . .
RUN npm run build

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app

COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
# app/ is compiled into build/; the rest is TypeScript that tsx loads at run time (package.json#imports aliases).
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/platform ./platform
COPY --from=build /app/db ./db
COPY --from=build /app/core ./core
COPY --from=build /app/workflows ./workflows
COPY --from=build /app/activities ./activities
COPY --from=build /app/workers ./workers

# Files stay owned by root: the app cannot rewrite its own code. tsx caches compiled files under /tmp.
USER node

EXPOSE 3000

# Liveness of the web process. The worker serves no HTTP: docker-compose.yml disables this check for it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

CMD ["npm", "run", "web"]
