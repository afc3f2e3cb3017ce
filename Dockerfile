# syntax=docker/dockerfile:1.7
#
# The CNN Simplifier image. One image runs as the API, as a worker, or as both (the default), by
# configuration: CNN_WORKERS_ENABLED=false makes an API-only process, CNN_API_ENABLED=false a
# worker-only one.
#
#   docker build -t cnn-simplifier:0.1.0 .                               # CPU (nd4j-native)
#   docker build --build-arg VARIANT=gpu -t cnn-simplifier:0.1.0-gpu .   # GPU (CUDA 11.6)
#
# Needs BuildKit (Docker 23+ uses it by default): the Maven repository is a cache mount, and
# only the stages of the chosen variant are built.

# cpu: nd4j-native with oneDNN/AVX2 on a plain JRE. gpu: -Dgpu, which swaps the cpu Maven profile
# for the cuda one (ND4J's CUDA 11.6 backend), on a CUDA 11.6 + cuDNN 8 runtime base.
ARG VARIANT=cpu
# The GPU variant's base; override it if your registry mirrors NVIDIA's images elsewhere.
ARG CUDA_BASE_IMAGE=nvidia/cuda:11.6.2-cudnn8-runtime-ubuntu20.04
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

# ---- build: the README's build command, with the Maven wrapper --------------------------------
FROM eclipse-temurin:17-jdk-jammy AS build
ARG VARIANT
WORKDIR /src
COPY mvnw pom.xml ./
# .mvn/maven.config pins the natives to linux-x86_64, so the jar carries only what the image runs.
COPY .mvn .mvn
COPY src src
# The jar is then split into layers from least to most often changed (libraries, loader, the
# application), so a code change rebuilds and pushes only the small last one.
RUN --mount=type=cache,target=/root/.m2 \
    case "$VARIANT" in \
      cpu) profile="" ;; \
      gpu) profile="-Dgpu" ;; \
      *) echo "VARIANT must be cpu or gpu, got '$VARIANT'" >&2; exit 1 ;; \
    esac \
 && ./mvnw -B package -DskipTests $profile \
 && cp target/cnn-simplifier-*.jar /tmp/app.jar \
 && java -Djarmode=tools -jar /tmp/app.jar extract --layers --launcher --destination /layers

# ---- run bases ----------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS run-cpu
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

FROM ${JRE_IMAGE} AS jre
FROM ${CUDA_BASE_IMAGE} AS run-gpu
# The same Temurin 17 JRE as the CPU variant, copied onto NVIDIA's runtime image; UTF-8 file
# names as in the Temurin image (zip entries of uploaded data sets).
ENV JAVA_HOME=/opt/java/openjdk \
    LANG=C.UTF-8 \
    LC_ALL=C.UTF-8
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# ---- the image ----------------------------------------------------------------------------------
FROM run-${VARIANT}
ARG VARIANT
LABEL org.opencontainers.image.title="cnn-simplifier" \
      org.opencontainers.image.description="Makes CNNs smaller and faster by kernel elimination with progressive retraining" \
      org.opencontainers.image.version="0.1.0" \
      org.cnnsimplifier.variant="${VARIANT}"

# A fixed non-root uid/gid, so Kubernetes can check runAsNonRoot and volumes can be chowned to it.
RUN groupadd --system --gid 10001 cnn \
 && useradd --system --uid 10001 --gid cnn --home-dir /home/cnn --create-home \
      --shell /usr/sbin/nologin cnn \
 && mkdir -p /app/data \
 && chown cnn:cnn /app/data
WORKDIR /app
# Code stays owned by root (read-only for the service); only /app/data and $HOME are writable.
# JavaCPP unpacks the native libraries to $HOME/.javacpp/cache when first needed (a model
# upload or a job).
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./

# Memory follows the container's limit. Heap: 30% of it. ND4J keeps its arrays off the heap, in
# JavaCPP memory, whose limits are percentages of the heap: maxbytes 150% of the heap (45% of the
# container) for arrays, maxphysicalbytes 280% (84%) for the whole process (heap, arrays and
# everything else), leaving headroom below the limit so an oversized job fails with an
# OutOfMemoryError (that attempt of the job fails) instead of the kernel killing the container.
# Override the whole variable to change it; see README "Deployment".
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=30 -XX:InitialRAMPercentage=10 -XX:+ExitOnOutOfMemoryError -Dorg.bytedeco.javacpp.maxbytes=150% -Dorg.bytedeco.javacpp.maxphysicalbytes=280%" \
    CNN_DATA_DIR=/app/data \
    PORT=8080

USER 10001:10001
EXPOSE 8080
# Ready means the database answers too. The start period covers a slow first start-up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/actuator/health/readiness" >/dev/null || exit 1
# Exec form: java is PID 1 and gets SIGTERM itself, so a worker hands its job back on stop.
ENTRYPOINT ["java", "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
