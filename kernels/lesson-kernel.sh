#!/bin/sh
# Starts GoNB for a lesson ("$@": the gonb binary and its arguments). The lessons speak the language of their folder:
# Jupyter's server gives the kernel of a notebook its path as $JPY_SESSION_NAME, and a notebook whose own folder is
# called ja (notebooks/ja/…) gets CENTERLOSS_LANG=ja, which the library's words follow (centerloss/language). Only
# the notebook's own folder counts, not one further up (a checkout under /home/ja stays English). A language the
# teacher set already is kept, and nothing else of the environment changes.
folder=$(basename "$(dirname "/${JPY_SESSION_NAME:-}")")
if [ "$folder" = ja ]; then
  : "${CENTERLOSS_LANG:=ja}"
  export CENTERLOSS_LANG
fi
exec "$@"
