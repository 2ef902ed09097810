#!/usr/bin/env bash
# lock-fixture.sh MANAGER DIR [docker|buildah]
# Makes DIR's lock file with the real tool (poetry, pdm or pipenv), run inside
# the python:* stand-in of ../shared/dockerbox (docker) or ../shared/buildbox
# (buildah), against the local package index the project names as its source.
# Tool versions: POETRY_VERSION, PDM_VERSION, PIPENV_VERSION (default: the
# versions that index serves).
set -euo pipefail
manager=$1 dir=$(cd "$2" && pwd) engine=${3:-docker}
case "$manager" in
  poetry) tool="poetry==${POETRY_VERSION:-2.1.2}" lock="poetry lock" file=poetry.lock ;;
  pdm) tool="pdm==${PDM_VERSION:-2.20.1}" lock="pdm lock" file=pdm.lock ;;
  pipenv) tool="pipenv==${PIPENV_VERSION:-2024.0.1}" lock="pipenv lock --python python3" file=Pipfile.lock ;;
  *) echo "lock-fixture.sh: no lock step for '$manager' (poetry, pdm or pipenv)" >&2; exit 2 ;;
esac
# The tool in a virtualenv of its own; it locks a copy of the project (the tools leave
# virtualenvs and settings behind), and only the lock file comes back to /w.
script="python -m venv /tmp/tool && /tmp/tool/bin/pip install -q '$tool' \\
  && cp -r /w /tmp/project && cd /tmp/project && rm -rf .venv env $file && PATH=/tmp/tool/bin:\$PATH $lock && cp $file /w/"
if [ "$engine" = docker ]; then
  docker run --rm -v "$dir:/w" -w /w python:3.13-slim-trixie sh -c "$script"
else
  ctr=$(buildah from --pull=never localhost/buildbox/python:standin)
  trap 'buildah rm "$ctr" >/dev/null' EXIT
  buildah run --isolation chroot --network host -v "$dir:/w" --workingdir /w "$ctr" -- sh -c "$script"
fi
