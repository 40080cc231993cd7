#!/usr/bin/env python3
"""gen_orgs.py CSV on stdin -> NDJSON rows in ingest's canonical shape on stdout.

_rowId is the 0-based data row number, the id gen_orgs.py's --truth file uses.
"""
import csv, json, sys

HEADERS = {"Organisation Name": "name", "Contact Email": "email", "Phone": "phone", "Website": "website",
           "Registration No": "registration_number", "City": "city"}

for i, rec in enumerate(csv.DictReader(sys.stdin)):
    row = {"_rowId": str(i)}
    for header, field in HEADERS.items():
        v = rec.get(header)
        row[field] = v if v and v.strip() else None
    sys.stdout.write(json.dumps(row, separators=(",", ":")) + "\n")
