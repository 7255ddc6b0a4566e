# The class hub in a container (docker-compose.yml's hub service): JupyterHub with DockerSpawner, which starts a
# container of the lessons' image (docker/Dockerfile, built first as centerloss-lab:cpu) for each learner.
# Everything from the distribution's packages, PyPI and npm, pinned as for `make hub`.
FROM debian:trixie-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates python3 python3-venv nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/centerloss
COPY requirements-hub.txt hub/package.json hub/package-lock.json ./
RUN python3 -m venv /srv/venv \
    && /srv/venv/bin/pip install --disable-pip-version-check -q -r requirements-hub.txt dockerspawner==14.0.0
COPY hub/ hub/
COPY scripts/reaper.py scripts/
RUN cd hub && npm ci --no-audit --no-fund --loglevel=error
ENV PATH=/srv/venv/bin:$PATH CENTERLOSS_HUB_SPAWNER=docker CENTERLOSS_HUB_STATE=/srv/hub
EXPOSE 8000
CMD ["jupyterhub", "-f", "/srv/centerloss/hub/jupyterhub_config.py"]
