# The one image of web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Dependencies first, from the lock file alone: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
# Then the source, and the project itself (its dependencies are already installed).
COPY . .
RUN pip install --no-cache-dir --no-deps . \
    && DEBUG=off SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --system --no-create-home djpackages
USER djpackages
EXPOSE 8000
CMD ["gunicorn", "djpackages.wsgi", "--workers", "2", "--bind", "0.0.0.0:8000"]
