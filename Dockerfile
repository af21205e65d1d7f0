# syntax=docker/dockerfile:1
# The API on Kestrel: build with the SDK, run on the ASP.NET Core runtime image (no SDK, no sources).
#   docker build -t gino-demo .
#   docker run --rm -e DB_DSN=postgresql://user:password@host:5432/gino_demo -e DB_RETRY_LIMIT=10 gino-demo migrate
#   docker run -p 8000:8000 -e DB_DSN=postgresql://user:password@host:5432/gino_demo -e DB_RETRY_LIMIT=10 gino-demo
# The API never migrates on its own: run `migrate` (same image) before it, as docker-compose.yml does.

# The documentation pages' scripts and styles: exactly what GinoDemo.Api/OpenApi/package-lock.json pins (npm ci), in a
# stage of its own, so the SDK image needs no Node.js; cached until the lock file changes.
FROM node:22-bookworm-slim AS docs-assets
WORKDIR /src/GinoDemo.Api/OpenApi
COPY GinoDemo.Api/OpenApi/package.json GinoDemo.Api/OpenApi/package-lock.json GinoDemo.Api/OpenApi/.npmrc ./
RUN npm ci

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files and lock files alone, so this layer is cached until a dependency
# changes; --locked-mode fails the build instead of resolving anything the lock files do not pin.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY GinoDemo.Data/GinoDemo.Data.csproj GinoDemo.Data/packages.lock.json GinoDemo.Data/
COPY GinoDemo.Api/GinoDemo.Api.csproj GinoDemo.Api/packages.lock.json GinoDemo.Api/
# PublishReadyToRun=true: the restore also fetches ReadyToRun's compiler for the platform published below.
RUN dotnet restore GinoDemo.Api/GinoDemo.Api.csproj --locked-mode -p:PublishReadyToRun=true
# .editorconfig (the same analyzer and style rules as scripts/test.sh) and appsettings.json (the defaults,
# published beside the assemblies) after the restore, so that editing them does not invalidate the cached packages.
COPY .editorconfig appsettings.json ./
COPY GinoDemo.Data/ GinoDemo.Data/
COPY GinoDemo.Api/ GinoDemo.Api/
COPY --from=docs-assets /src/GinoDemo.Api/OpenApi/node_modules GinoDemo.Api/OpenApi/node_modules
# For linux-x64, framework-dependent: the assemblies are compiled ahead of time (ReadyToRun, GinoDemo.Api.csproj), which
# cuts the cold start (docs/performance.md). An arm64 image built from this file still runs (the runtime ignores x64
# code and compiles at run time), without that gain. No apphost: the image starts `dotnet GinoDemo.Api.dll`, so the native
# launcher would be dead weight. NpmCi=false: the docs-assets stage installed the pages' packages; the build embeds
# them in the assembly (GinoDemo.Api.csproj).
RUN dotnet publish GinoDemo.Api/GinoDemo.Api.csproj -c Release -r linux-x64 --self-contained false --no-restore \
    -p:UseAppHost=false -p:NpmCi=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# Owned by root and only readable by the app user: the process cannot rewrite its own code.
COPY --from=build /app ./
# The image's default is 8080; the tutorial serves on 8000, on every interface inside the container.
ENV ASPNETCORE_HTTP_PORTS=8000
EXPOSE 8000
# The non-root user the .NET images provide (uid 1654, "app").
USER $APP_UID
# The image has no curl or wget: the app probes its own /healthz/live on 127.0.0.1:$ASPNETCORE_HTTP_PORTS.
# Each probe starts a short .NET process, hence every 30 s with a 5 s timeout (a cold start on a busy
# host takes about a second); start-period covers the startup wait for the database
# (DB_RETRY_LIMIT x (DB_RETRY_INTERVAL + up to DB_CONNECT_TIMEOUT per attempt)); 3 misses in a row
# (about 1.5 min) before "unhealthy".
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["dotnet", "GinoDemo.Api.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "GinoDemo.Api.dll"]
