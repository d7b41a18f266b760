#!/bin/sh
# tests/tools/layers.sh — the include arrows allowed between the folders
# (issue 8, "Layers"); run by `make check` (make layers). Prints every
# forbidden #include as FILE:LINE: folder -> header, exits 1 if any.
#
#   core/                  core/ only: infrastructure and domain vocabulary
#   slicing/ monitor/      core/ and their own folder
#   billing/ snmp/
#   engine/                anything: the daemon's wiring, the one place that
#                          knows every module
#   tui/                   its own folder and the IPC codec with what the
#                          codec needs (core/ipc.h, core/util.h, core/log.h):
#                          the console reaches the engine only over IPC
#   sim/                   core/, slicing/, sim/ and the program's config
#                          schema (engine/config_sections.h)
#   tests/                 anything
set -u
cd "$(dirname "$0")/../.." || exit 2
bad=0
for f in $(find core slicing monitor billing snmp engine tui sim plugins -name "*.[ch]" 2>/dev/null); do
	dir=${f%%/*}
	case $dir in tests|engine) continue ;; esac
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r hit; do
		line=${hit%%:*}
		inc=$(printf '%s\n' "$hit" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
		top=${inc%%/*}
		ok=0
		case $dir in
		core) [ "$top" = core ] && ok=1 ;;
		slicing|monitor|billing|snmp)
			[ "$top" = core ] || [ "$top" = "$dir" ] && ok=1 ;;
		tui)
			case $inc in tui/*|core/ipc.h|core/util.h|core/log.h) ok=1 ;; esac ;;
		sim)
			case $inc in core/*|slicing/*|sim/*|engine/config_sections.h) ok=1 ;; esac ;;
		plugins) case $inc in plugins/*) ok=1 ;; esac ;;
		*) ok=1 ;;
		esac
		# a header in the file's own folder named without a folder
		case $inc in */*) ;; *) ok=1 ;; esac
		if [ $ok = 0 ]; then
			echo "$f:$line: $dir/ may not include $inc"
			echo x >> "${TMPDIR:-/tmp}/sd-layers.$$"
		fi
	done
done
if [ -s "${TMPDIR:-/tmp}/sd-layers.$$" ]; then
	n=$(wc -l < "${TMPDIR:-/tmp}/sd-layers.$$")
	rm -f "${TMPDIR:-/tmp}/sd-layers.$$"
	echo "layers: $n forbidden include(s); see the table in tests/tools/layers.sh"
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/sd-layers.$$"
echo "layers: ok"
