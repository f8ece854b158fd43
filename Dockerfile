# The web app image that docker-compose builds. It runs bin/start-web, the same script
# CI starts against PostgreSQL on every run.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config/ config/
COPY articles/ articles/
COPY annotate/ annotate/
RUN pip install --no-cache-dir -e .
COPY . .

RUN useradd --create-home --uid 1000 claimdesk && chown -R claimdesk /app
USER claimdesk
EXPOSE 8000
CMD ["bin/start-web"]
