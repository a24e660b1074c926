"""Schemathesis hooks for the Flows Console server (loaded through SCHEMATHESIS_HOOKS).

The check `refused_request_stores_nothing`: a write the server refuses (4xx) must leave every
table's row count as it was. Before each write, the row counts are read from the test server's
probe (FLOWS_PROBE, see compat/server.ts) once the engine and trigger dispatcher have settled;
after a refusal they are read again and compared.
"""
import json
import os
import urllib.request

import schemathesis

PROBE = os.environ["FLOWS_PROBE"]
READS = {"GET", "HEAD", "OPTIONS"}
_before = {}


def _counts(quiet):
    with urllib.request.urlopen(f"{PROBE}/counts{'?quiet=1' if quiet else ''}", timeout=60) as r:
        return json.load(r)


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.method.upper() not in READS:
        _before[id(case)] = _counts(quiet=True)


@schemathesis.check
def refused_request_stores_nothing(ctx, response, case):
    before = _before.pop(id(case), None)
    if before is None or response.status_code < 400:
        return None
    after = _counts(quiet=False)
    changed = [f"{t}: {before.get(t)} -> {after.get(t)}" for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]
    if changed:
        raise AssertionError(f"refused with {response.status_code} but stored rows ({', '.join(changed)})")
    return None
