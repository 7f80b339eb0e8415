# Hallway: a slim, non-root image. Build: docker build -t hallway .
# Run:   docker run -p 3978:3978 -e MicrosoftAppId=… -e MicrosoftAppPassword=… hallway
# Another registry's mirror of the same image can be named at build time (--build-arg).
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY app.py ./
COPY bot ./bot
COPY catalogue ./catalogue
COPY dialogs ./dialogs

# State lives in /data (a volume); PostgreSQL replaces it when several instances run.
RUN useradd --system --uid 10001 --home-dir /app hallway \
    && mkdir /data && chown hallway /data
USER hallway
VOLUME ["/data"]
ENV STORAGE_URL=sqlite:////data/hallway.sqlite3 \
    PORT=3978

EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"3978\")}/healthz', timeout=4)"

# SIGTERM stops accepting, finishes the turns in flight and closes storage.
STOPSIGNAL SIGTERM
CMD ["python", "app.py", "--host", "0.0.0.0"]
