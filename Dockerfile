# Zipper service: streams ZIP archives of synthetic e-discovery documents over HTTP.
#   docker build -t zipper-service .
#   docker run --rm -p 8080:8080 zipper-service
# Plain Dockerfile (legacy builder compatible): no BuildKit-only syntax.

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
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
USER node
EXPOSE 8080
# The slim image has no curl: probe with Node's fetch (PORT read from the environment).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (the server drains in-flight archives).
CMD ["node", "dist/src/server.js"]
