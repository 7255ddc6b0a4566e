#!/bin/sh
# Starts GoNB for a lesson ("$@": the gonb binary and its arguments). The lessons speak the language of their folder:
# Jupyter's server gives the kernel of a notebook its path as $JPY_SESSION_NAME, and a notebook in a ja folder
# (notebooks/ja/…) gets CENTERLOSS_LANG=ja, which the library's words follow (centerloss/language). A language the
# teacher set already is kept, and nothing else of the environment changes.
case "/${JPY_SESSION_NAME:-}" in
*/ja/*) : "${CENTERLOSS_LANG:=ja}" && export CENTERLOSS_LANG ;;
esac
exec "$@"
