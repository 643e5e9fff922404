#!/bin/sh
# Run by the BuildStamp plugin whenever git's HEAD, branch ref, index, Package.swift or a file
# under Sources/ changed since its last run: writes OUT/BuildStampValues.swift with the
# git commit the PlasticityLab checkout at PACKAGE is at, with "+changes" appended when a file
# under Sources/ or Package.swift differs from that commit (tracked or untracked), and
# "unknown" when PACKAGE is not the top of a git checkout or git is missing. The file is
# rewritten only when its content changes, so a build with nothing new compiles nothing.
# Usage: build-stamp.sh PACKAGE OUT
set -u
package=$1 out=$2
commit=unknown
if command -v git >/dev/null 2>&1 \
    && top=$(git -C "$package" rev-parse --show-toplevel 2>/dev/null) && [ "$top" -ef "$package" ] \
    && head=$(git -C "$package" rev-parse --verify -q HEAD); then
    commit=$head
    if [ -n "$(git -C "$package" --no-optional-locks status --porcelain --untracked-files=all -- Sources Package.swift)" ]; then
        commit="$commit+changes"
    fi
fi
mkdir -p "$out"
file="$out/BuildStampValues.swift"
next=$(mktemp)
printf '// Written by scripts/build-stamp.sh at build time.\nlet stampedCommit = "%s"\n' "$commit" > "$next"
if cmp -s "$next" "$file"; then rm -f "$next"; else mv "$next" "$file"; fi
