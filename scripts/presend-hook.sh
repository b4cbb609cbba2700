#!/usr/bin/env bash
# Pre-send hook for a document system or mail gateway: check one outgoing file.
#
#   presend-hook.sh FILE CASE_ID
#
# Exit codes (the only thing the caller needs to read):
#   0  clear to send
#   1  DO NOT SEND: a passage comes from another case's records
#   2  could not be checked: DO NOT SEND (unreadable file, no index, unknown case, any error)
# A .eml file is checked with its body and every attachment (check-eml); anything else
# with `check`. The report goes to standard output; with PROVENANCE_REPORT_DIR set, a
# highlighted HTML report is also written there for the reviewer.
#
# Settings (environment): PROVENANCE_DB (the index), PROVENANCE_CMD (how to run
# provenance; default "provenance", e.g. "/opt/provenance/bin/provenance").
set -uo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: $0 FILE CASE_ID" >&2
    exit 2
fi
file=$1
case_id=$2
read -r -a cmd <<< "${PROVENANCE_CMD:-provenance}"

extra=()
if [ -n "${PROVENANCE_REPORT_DIR:-}" ] && [[ "${file,,}" != *.eml ]]; then
    mkdir -p "$PROVENANCE_REPORT_DIR" || exit 2
    extra=(--html "$PROVENANCE_REPORT_DIR/$(basename "$file").report.html")
fi

if [[ "${file,,}" == *.eml ]]; then
    "${cmd[@]}" check-eml "$file" --case "$case_id"
else
    "${cmd[@]}" check "$file" --case "$case_id" "${extra[@]}"
fi
status=$?

case $status in
    0) echo "presend: clear to send" >&2 ;;
    1) echo "presend: BLOCKED, text from another case" >&2 ;;
    *) echo "presend: BLOCKED, could not be checked (exit $status)" >&2; status=2 ;;
esac
exit $status
