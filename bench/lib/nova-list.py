# python-novaclient or openstacksdk (Debian's) listing servers with details, for
# bench/scenarios/openstack-compute-list.mjs. Run with /usr/bin/python3; settings come as JSON in
# argv[1]: authUrl, username, password, projectName, userDomainName, projectDomainName, region,
# microversion, name (the server-name filter), client ("novaclient" or "openstacksdk").
# A co-process: signs in once and prints {"ready": ...}; then for each line "list" on stdin lists the
# servers and prints one JSON line with the wall and CPU time of that listing alone and the count.
import json
import sys
import time

settings = json.loads(sys.argv[1])


def keystone_session():
    from keystoneauth1 import session
    from keystoneauth1.identity import v3

    auth = v3.Password(
        auth_url=settings["authUrl"],
        username=settings["username"],
        password=settings["password"],
        project_name=settings["projectName"],
        user_domain_name=settings["userDomainName"],
        project_domain_name=settings["projectDomainName"],
    )
    return session.Session(auth=auth)


if settings["client"] == "novaclient":
    from novaclient import client as nova_client

    nova = nova_client.Client(settings["microversion"], session=keystone_session(), region_name=settings["region"])

    def listing():
        return nova.servers.list(search_opts={"name": settings["name"]})

    version = nova.api_version.get_string()
else:
    import openstack

    conn = openstack.connection.Connection(
        session=keystone_session(), region_name=settings["region"], compute_api_version="2"
    )

    def listing():
        return list(conn.compute.servers(details=True, name=settings["name"]))

    version = "negotiated by openstacksdk"

listing()  # signs in and finds the endpoint before the first timed call
print(json.dumps({"ready": True, "version": version}), flush=True)
for line in sys.stdin:
    if line.strip() != "list":
        break
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    count = len(listing())
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    print(json.dumps({"elapsedUs": elapsed * 1e6, "cpuUs": cpu * 1e6, "count": count}), flush=True)
