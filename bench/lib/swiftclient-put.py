# python-swiftclient's Python API putting `count` small objects at `concurrency` threads, for
# bench/scenarios/openstack-small-objects.mjs. Reads its settings as JSON on stdin, signs in and
# creates the container before the clock starts, and prints one JSON line: the wall time and this
# process's CPU time (every thread) of the puts alone. Run with Debian's /usr/bin/python3.
import json
import os
import sys
import threading
import time
from multiprocessing.pool import ThreadPool

from swiftclient.client import Connection

settings = json.load(sys.stdin)
count = settings["count"]
size = settings["size"]

auth = Connection(
    authurl=settings["authUrl"],
    user=settings["username"],
    key=settings["password"],
    auth_version="3",
    os_options={
        "project_name": settings["projectName"],
        "user_domain_name": settings["userDomainName"],
        "project_domain_name": settings["projectDomainName"],
        "region_name": settings["region"],
    },
    retries=0,
)
url, token = auth.get_auth()
auth.put_container(settings["container"])

# A Connection holds one HTTP connection and is not thread-safe: one per worker thread, all with
# the token above (as swiftclient's own `swift upload` does with its connection pool).
local = threading.local()


def connection():
    if getattr(local, "conn", None) is None:
        local.conn = Connection(preauthurl=url, preauthtoken=token, retries=0)
    return local.conn


payloads = [os.urandom(size) for _ in range(count)]


def put(i):
    connection().put_object(
        settings["container"],
        "obj-%06d.bin" % i,
        contents=payloads[i],
        content_length=size,
        content_type="application/octet-stream",
    )


cpu0 = time.process_time()
t0 = time.perf_counter()
with ThreadPool(settings["concurrency"]) as pool:
    done = sum(1 for _ in pool.imap_unordered(put, range(count)))
elapsed = time.perf_counter() - t0
cpu = time.process_time() - cpu0
if done != count:
    sys.exit("only %d of %d objects were put" % (done, count))
print(json.dumps({"elapsedUs": elapsed * 1e6, "cpuUs": cpu * 1e6, "objects": done}))
