# openstacksdk (Debian's) creating servers concurrently and waiting for ACTIVE, for
# bench/scenarios/openstack-compute-create.mjs. Run with /usr/bin/python3; settings come as JSON in
# argv[1]: authUrl, username, password, projectName, userDomainName, projectDomainName, region,
# prefix, count, imageId, flavorId, interval (seconds between checks).
# Each of `count` threads calls conn.compute.create_server then conn.compute.wait_for_server. Every
# HTTP request is counted where it leaves for the wire (requests' HTTPAdapter.send), from after the
# sign-in to the last server ACTIVE. The servers are then deleted (not counted, not timed). Prints one
# JSON line: elapsedUs, cpuUs, requests, byMethod, active.
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import openstack
import requests.adapters
from keystoneauth1 import session
from keystoneauth1.identity import v3

settings = json.loads(sys.argv[1])
lock = threading.Lock()
counts = {}
counting = False
send = requests.adapters.HTTPAdapter.send


def counted_send(self, request, *args, **kwargs):
    if counting:
        with lock:
            counts[request.method] = counts.get(request.method, 0) + 1
    return send(self, request, *args, **kwargs)


requests.adapters.HTTPAdapter.send = counted_send

auth = v3.Password(
    auth_url=settings["authUrl"],
    username=settings["username"],
    password=settings["password"],
    project_name=settings["projectName"],
    user_domain_name=settings["userDomainName"],
    project_domain_name=settings["projectDomainName"],
)
conn = openstack.connection.Connection(
    session=session.Session(auth=auth), region_name=settings["region"], compute_api_version="2"
)
# Signs in and finds the endpoint (and its microversion) before counting starts.
list(conn.compute.servers(details=False, name="^" + settings["prefix"] + "-"))


def build(i):
    server = conn.compute.create_server(
        name="%s-%d" % (settings["prefix"], i),
        image_id=settings["imageId"],
        flavor_id=settings["flavorId"],
        networks="none",
    )
    return conn.compute.wait_for_server(server, status="ACTIVE", interval=settings["interval"], wait=900)


counting = True
cpu0 = time.process_time()
t0 = time.perf_counter()
with ThreadPoolExecutor(max_workers=settings["count"]) as pool:
    servers = list(pool.map(build, range(settings["count"])))
elapsed = time.perf_counter() - t0
cpu = time.process_time() - cpu0
counting = False
active = sum(1 for s in servers if s.status == "ACTIVE")


def remove(server):
    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, interval=1, wait=600)


with ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(remove, servers))
report = {"elapsedUs": elapsed * 1e6, "cpuUs": cpu * 1e6, "requests": sum(counts.values())}
report.update({"byMethod": counts, "active": active})
print(json.dumps(report), flush=True)
