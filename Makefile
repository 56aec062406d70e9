# Tributary — the two set-up commands:
#   make run    install what is missing, build, start the FE on :9030 (conf/fe.conf)
#   make test   install what is missing, build, run unit and integration tests
.PHONY: run test build build-release unit integration clean

build:
	swift build

build-release:
	swift build -c release

run:
	./scripts/install-deps.sh
	swift build -c release
	@echo "Starting tributary-fe; connect with: mysql -h 127.0.0.1 -P 9030 -u root"
	./.build/release/tributary-fe --config conf/fe.conf

unit:
	swift build --build-tests
	swift test --skip-build

integration:
	python3 -m pytest -q tests/integration

test:
	./scripts/install-deps.sh --test
	swift build --build-tests
	swift test --skip-build
	python3 -m pytest -q tests/integration

clean:
	rm -rf .build meta
