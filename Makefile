# Yoake: `make run` serves it, `make test` tests it. Both need only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench drill cluster lint format messages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m config.launch run

test: $(STAMP)
	$(PY) -m config.launch test

bench: $(STAMP)
	$(PY) -m config.launch bench

# Several machines' worth on this one (config/cluster.py): nginx on :8000 in front of two hosts,
# a PostgreSQL primary and its streaming replica, two Redis servers. Needs nginx. Ctrl-C stops it.
cluster: $(STAMP)
	$(PY) -m config.cluster

# Mixed load for DRILL_SECONDS (60) while Redis is paused, killed and restarted and PostgreSQL
# stopped and started; prints what was lost, hidden or duplicated and how fast each fault healed.
drill: $(STAMP)
	$(PY) -m bench.drill

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .

# Refresh the translation catalogues after changing strings.
messages: $(STAMP)
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=var --ignore=tests --ignore=test-artifacts --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l ja --ignore=.venv --ignore=var --ignore=tests --ignore=test-artifacts --no-obsolete

clean:
	rm -rf $(VENV) var
