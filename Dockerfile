# syntax=docker/dockerfile:1
#
# spinclean's container image, for a Spinnaker "Run Job (Manifest)" stage (docs/spinnaker.md):
#
#   docker build --build-arg COMMIT=$(git rev-parse --short=10 HEAD) -t REGISTRY/spinclean:TAG .
#
# Runs as uid 10001 with a read-only root filesystem; it writes nothing (see docker/spinclean).
# Without a Docker daemon: mvn -Pimage compile jib:build -Dimage=REGISTRY/spinclean:TAG (no AOT cache).

# --- build: the shaded jar ----------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
# The commit --version prints; .git is not sent to the build (.dockerignore).
ARG COMMIT=unknown
WORKDIR /src
COPY pom.xml .
COPY src src
COPY examples examples
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests -Dgit.commit.id.abbrev="$COMMIT" package

# --- runtime: a JRE, the jar, and an AOT cache trained on this very JVM -------------------------
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 spinclean \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin spinclean
COPY --from=build /src/target/spinclean.jar /app/spinclean.jar
COPY docker/spinclean /usr/local/bin/spinclean
# The kubectl plugin (README.md): `kubectl spinclean` where an image's kubectl looks for plugins.
COPY kubectl-spinclean /usr/local/bin/kubectl-spinclean
# Train the AOT cache (JDK 25, JEP 514: one step) by running the demo: an embedded API server on
# loopback with the article's scenarios, planned and applied, so the classes of the live path are
# in it. Through the entrypoint, so training and every run use the same JVM flags; the cache must
# be made by the same JVM build and with the same class path (/app/spinclean.jar) as its users.
RUN chmod 0755 /usr/local/bin/spinclean /usr/local/bin/kubectl-spinclean \
 && SPINCLEAN_JAVA_OPTS="-XX:AOTCacheOutput=/app/spinclean.aot" spinclean demo > /dev/null \
 && chmod 0444 /app/spinclean.jar /app/spinclean.aot \
 && spinclean --version
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/spinclean"]
CMD ["--help"]
