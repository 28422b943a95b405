"""Shares of the samples of `perf script -F ip,sym` under each part of a POST's path (bench/perf-post.sh).

A sample counts for a part when any frame of its stack matches the part's pattern (and none of the exclusions'):
the parts overlap where one calls another, so the shares do not add up to 100%.
"""
import re
import sys

PARTS = [
    ("OData response writer (AspNetCoreOData's output formatter)", r"ODataOutputFormatter", None),
    ("Bearer token validation (JwtBearerHandler)", r"JwtBearerHandler", None),
    ("body check: JSON parse (JsonBody)", r"Protocol\.JsonBody", None),
    ("body check: contract validation (ResourceBodyValidator)", r"ResourceBodyValidator", None),
    ("body check: resource from the checked body (ValidatedResourceReader)", r"ValidatedResourceReader", None),
    ("body check: Graph's rules (NotificationRules)", r"NotificationRules", None),
    ("OData request reader (input formatter)", r"ODataInputFormatter", None),
    ("SQLite writer thread's statements (SqliteWriteGroups)", r"SqliteWriteGroups", None),
    ("kernel: pwrite (SQLite's write-ahead log)", r"pwrite", None),
    ("kernel: fsync", r"fsync", None),
    ("kernel: send", r"__send|sendto", None),
    ("idempotency filter, own work", r"IdempotencyFilter", r"NotificationBodyAttribute|UserNotificationsController"),
    ("endpoint matching (DfaMatcher, OData's matcher policy)", r"DfaMatcher|ODataRoutingMatcherPolicy", None),
    ("rate limiter, own work", r"RateLimitingMiddleware", r"AuthorizationMiddleware|UserNotificationsController|NotificationBodyAttribute"),
    ("telemetry (Activity, OpenTelemetry)", r"OpenTelemetry|Diagnostics\.Activity", None),
]


def samples(path):
    stack = []
    with open(path, errors="replace") as lines:
        for line in lines:
            if not line.strip():
                if stack:
                    yield stack
                stack = []
            else:
                stack.append(line.strip())
    if stack:
        yield stack


def main(path):
    stacks = list(samples(path))
    total = len(stacks)
    print(f"{total} samples of the worker threads ('.NET TP Worker'); a part's share is of all of them")
    for title, pattern, exclude in PARTS:
        match, skip = re.compile(pattern), re.compile(exclude) if exclude else None
        count = sum(1 for s in stacks if any(match.search(f) for f in s) and not (skip and any(skip.search(f) for f in s)))
        print(f"{100 * count / max(total, 1):6.1f}%  {title}")


if __name__ == "__main__":
    main(sys.argv[1])
