#!/usr/bin/env bash
# Counts the definitions of facts that must exist exactly once (issue 17, "one fact, one place").
# Each line: <fact> <number of modules defining it> — above 1 is a duplicate. Generated protobuf code (proto/gen) is excluded.
set -uo pipefail
cd "$(dirname "$0")/.."
src=ics_workbench
count() { # name, extended regex
  local n
  n=$(grep -rlE --include='*.py' "$2" "$src" | grep -v '/proto/gen/' | wc -l)
  printf '%-28s %s\n' "$1" "$n"
}
count "Coin types"              '^class Coin\b'
count "coin parsers"            '^def (parse_coins?|parse_coins?_normalized|parse_dec_coins?)\('
count "GovParams types"         '^class GovParams\b'
count "BlockId types"           '^class BlockId\b'
count "denom regexes"           'a-zA-Z\]\[a-zA-Z0-9/:\._-\]\{2,127\}'
count "404/501-absent checks"   'status (in|==) \(?(404|400, 404|404, 501)'
count "consumer-phase spellings" '^(PHASE_[A-Z]+|ACTIVE_PHASES|PRELAUNCH_PHASES|ConsumerPhase) *[:=]|removeprefix\(.CONSUMER_PHASE_.\)'
count "RFC3339/duration codecs" '^def (parse_rfc3339|parse_time|parse_timestamp|format_timestamp|rfc3339|_timestamp|_duration|format_proto_duration|parse_proto_duration|duration_seconds|format_go_duration)\(|^    def rfc3339\('
count "protobuf varint encoders" '^def _?uvarint\('
# Not a duplicate count: modules outside chain/ that still read raw node answers themselves (the rule is that
# raw answers become models in chain/ only); it should only go down.
printf '%-28s %s\n' "raw reads outside chain/" \
  "$(grep -rlE --include='*.py' '\.(get_json|fetch)\(' "$src" | grep -v -e '/proto/gen/' -e "^$src/chain/" | wc -l)"
