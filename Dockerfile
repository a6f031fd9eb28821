# One image for web (daphne), worker and beat (Celery).
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
# No --proxy-headers: daphne would take the leftmost X-Forwarded-For address, which the client
# writes, as REMOTE_ADDR. The platform reads the header itself (DJANGO_TRUSTED_PROXY_COUNT).
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "config.asgi:application"]
