# Portal: Blazor Server host. Build:  docker build -t portal:dev .
#                              Run:    docker run -p 8080:8080 portal:dev

# ---- build ---------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# No first-run banner or telemetry in CI logs.
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src

# Build-policy files first: Directory.*.props hold the framework and the central package versions, and
# src/Portal.Web/Build/ the MSBuild targets (and their inline-task .cs) that Portal.Web.csproj imports.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Portal.Web/Build/ src/Portal.Web/Build/
# Only the project files, one line each (COPY with a wildcard would flatten the folders): the restore layer below
# stays cached until a package or project reference changes. A new project under src/ needs its own line here.
COPY src/Portal.Core/Portal.Core.csproj src/Portal.Core/
COPY src/Portal.Infrastructure/Portal.Infrastructure.csproj src/Portal.Infrastructure/
COPY src/Portal.Kubernetes/Portal.Kubernetes.csproj src/Portal.Kubernetes/
COPY src/Portal.Logs/Portal.Logs.csproj src/Portal.Logs/
COPY src/Portal.Aws/Portal.Aws.csproj src/Portal.Aws/
COPY src/Portal.Sandbox/Portal.Sandbox.csproj src/Portal.Sandbox/
COPY src/Portal.Web/Portal.Web.csproj src/Portal.Web/
RUN dotnet restore src/Portal.Web/Portal.Web.csproj

# The sources, plus the root files Portal.Web.csproj links in (static assets and the Development settings file).
COPY src/ src/
COPY wwwroot-assets/ wwwroot-assets/
COPY appsettings.Development.json ./
# UseAppHost=false: the image starts the app with `dotnet Portal.Web.dll`, so the native launcher is not needed.
RUN dotnet publish src/Portal.Web -c Release -o /app --no-restore -p:UseAppHost=false

# ---- runtime -------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# ASPNETCORE_HTTP_PORTS: Kestrel's port, also read by `healthcheck`. PORTAL_DATA_DIR: where the app keeps its
# files (the SQLite database when Database__Provider=Sqlite); mount a volume there to keep them.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    PORTAL_DATA_DIR=/var/lib/portal
# The data directory must exist and be writable by the non-root `app` user (UID/GID 1654, $APP_UID) the image ships.
RUN mkdir -p /var/lib/portal \
    && chown "$APP_UID:$APP_UID" /var/lib/portal
COPY --from=build /app ./
USER $APP_UID
EXPOSE 8080
# The aspnet image has no curl: the app's own `healthcheck` subcommand GETs /healthz and exits 0 on 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["dotnet", "/app/Portal.Web.dll", "healthcheck"]
# Extra arguments are subcommands, e.g. `docker run ... portal migrate`.
ENTRYPOINT ["dotnet", "Portal.Web.dll"]
