"""Print the facts of a records file (JSONL) one per line: id, metric, value, qualifier, organisation, scope, period."""

from __future__ import annotations

import json
import sys

for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    for f in record["facts"]:
        period = f"{f['period']['start'] or '…'}..{f['period']['end'] or '…'}"
        print(f"{record['id']:28} {f['metric']:19} {f['value']!s:>12} {f['qualifier']:9} "
              f"{f['organization'] or '-':9} {f['scope']:10} {period}  {f['evidence']['text']}")
