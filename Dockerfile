# syntax=docker/dockerfile:1
# The API on Kestrel: build with the SDK, run on the ASP.NET Core runtime image (no SDK, no sources).
#   docker build -t gino-demo .
#   docker run -p 8000:8000 -e DB_DSN=postgresql://user:password@db:5432/gino_demo gino-demo
# Migrations are applied separately, before the API starts (see README, "Migrations").

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files and lock files alone, so this layer is cached until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props appsettings.json ./
COPY GinoDemo.Data/GinoDemo.Data.csproj GinoDemo.Data/packages.lock.json GinoDemo.Data/
COPY GinoDemo.Api/GinoDemo.Api.csproj GinoDemo.Api/packages.lock.json GinoDemo.Api/
RUN dotnet restore GinoDemo.Api/GinoDemo.Api.csproj --locked-mode
COPY GinoDemo.Data/ GinoDemo.Data/
COPY GinoDemo.Api/ GinoDemo.Api/
RUN dotnet publish GinoDemo.Api/GinoDemo.Api.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's default is 8080; the tutorial serves on 8000, on every interface inside the container.
ENV ASPNETCORE_HTTP_PORTS=8000
EXPOSE 8000
# The non-root user the .NET images provide.
USER $APP_UID
ENTRYPOINT ["dotnet", "GinoDemo.Api.dll"]
