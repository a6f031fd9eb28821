# One image for web (uvicorn, scripts/web), worker and beat (Celery).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_VAR_DIR=/app/var

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The runtime lock (requirements.txt, from requirements.in): exactly the tested versions, or no image.
COPY requirements.txt .
RUN pip install --require-hashes -r requirements.txt

COPY . .
# Build-time only: a throwaway key so collectstatic can import the settings.
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv -v0 \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 1000 --home /app app \
    && mkdir -p /app/var/media \
    && chown -R app /app/var

USER app
EXPOSE 8000
ENTRYPOINT ["scripts/docker-entrypoint"]
# uvicorn with one process per core (WEB_CONCURRENCY overrides), HTTP and WebSockets on port 8000.
CMD ["scripts/web"]
