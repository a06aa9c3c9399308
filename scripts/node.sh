#!/usr/bin/env bash
# Runs one of the repository's TypeScript programs (an example, a bench) in Node, through tsx
# (scripts/register.mjs). Dawn itself prints two warnings on stderr when it opens a Vulkan
# adapter whose dynamic-buffer limits exceed its own ("maxDynamic...BuffersPerPipelineLayout
# artificially reduced from 1000000 to 16", lavapipe's case): native output that webgrad cannot
# ask Dawn to hold back, and that means nothing for it. stderr passes through a filter that drops
# exactly those two lines; everything else, and stdout (the progress bar's terminal), is untouched.
set -uo pipefail
DAWN_NOISE='^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from [0-9]+ to [0-9]+ to fit dynamic offset allocation limit\.$'
# stderr goes through the filter, stdout straight to fd 3 (the caller's stdout).
{ node --import ./scripts/register.mjs "$@" 2>&1 1>&3 3>&- | grep --line-buffered -v -E "$DAWN_NOISE" >&2; status=${PIPESTATUS[0]}; } 3>&1
exit "$status"
