# carerecruit: the two promises of the README.
#   make demo  – set everything up, load the demo region, serve http://127.0.0.1:8000
#   make test  – set everything up and run the whole test suite
# Both work on a fresh machine with Python 3.11+, Node.js 20+ and npm; nothing else.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test setup python assets chromium test-only lint check clean

demo: setup
	$(BIN)/carerecruit migrate --no-input
	$(BIN)/carerecruit demo
	$(BIN)/carerecruit serve

test: setup chromium test-only

test-only:
	$(BIN)/python -m pytest -n 2 --create-db $(PYTEST_ARGS)

setup: python assets

python: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

assets: carerecruit/static/build/.built

carerecruit/static/build/.built: package.json package-lock.json scripts/build-assets.mjs carerecruit/static/src/carerecruit.scss
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

# Browser tests drive Debian's Chromium (test tools' own browser downloads fail offline).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: python
	$(BIN)/ruff check .

check: python
	$(BIN)/carerecruit makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=carerecruit.example.org \
	  SECURE_SSL_REDIRECT=true SECURE_HSTS_SECONDS=31536000 BEHIND_TLS_PROXY=true \
	  SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true \
	  $(BIN)/carerecruit check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules carerecruit/static/build data
