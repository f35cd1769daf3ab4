# Zipper service: streams ZIP archives of synthetic e-discovery documents over HTTP.
#   docker build -t zipper-service .
#   docker run --rm -p 8080:8080 zipper-service
# Plain Dockerfile (the legacy builder builds it too): no BuildKit-only syntax. CI builds and runs
# it (.ci/containers).

# ---- build: dev dependencies + TypeScript compile ----------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies + compiled JavaScript only --------------------------------
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
# glibc allocator: what a burst of archives frees (stream buffers, zlib state, batches) stayed
# resident, fragmented over up to 8 arenas per core and below live data. Buffers of 64 KiB and more
# get pages of their own, returned when freed, and two arenas keep the rest compact: 16 archives'
# burst leaves ~1.2× idle RSS, ~2× with two arenas alone. The threshold costs PDF throughput
# (10–20 % in the bench): README, Memory; bench row memory-16.
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=65536
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# All of dist/src: the generator's worker threads load dist/src/generator/parallel/worker.js.
# Files stay root-owned: the service cannot rewrite its own code.
COPY --from=build /app/dist/src ./dist/src
# uid 1000 of the node image; archives past 4 MiB of central directory spill to /tmp (writable).
USER node
EXPOSE 8080
# The slim image has no curl: probe with Node's fetch (PORT read from the environment).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself. The server drains in-flight archives for up
# to ZIPPER_SHUTDOWN_GRACE_MS (30 s), then exits 0: give `docker stop -t 35` for a full drain.
# --max-semi-space-size=16: the main thread's young generation stays at 3 × 16 MB (Node 24 grows it
# to 3 × 64 MB under load; the workers' is bounded by ZIPPER_WORKER_YOUNG_GENERATION_MB).
CMD ["node", "--max-semi-space-size=16", "dist/src/server.js"]
