#!/bin/sh
# A learner's server in a container of the lessons' image (docker-compose.yml's hub, hub/values.yaml on Kubernetes):
# their lessons live in their own volume, mounted at /home/lab/work, and are copied there at its first start (never
# again: their edits stay theirs); the checkout in the image, its shipped runs included, stays as built. Then
# JupyterHub's single-user server, through the reaper (nothing of it is left once it stops).
set -eu
cd /home/lab/centerloss
export CENTERLOSS_RUNS=/home/lab/work/centerloss/runs # the lessons' models in the learner's volume too
.venv/bin/python hub/learners.py copy notebooks /home/lab/work/centerloss
exec .venv/bin/python scripts/reaper.py .venv/bin/jupyterhub-singleuser --ServerApp.root_dir=/home/lab/work/centerloss "$@"
