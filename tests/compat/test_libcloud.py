"""apache-libcloud's Vultr v1 compute driver (``VultrNodeDriver(api_version="1")``, still shipped in libcloud
3.x as ``VultrNodeDriverV1``), unmodified, against the emulator over HTTP.

The driver is pointed at the emulator with its own ``host``/``port``/``secure`` arguments. It sends the
``API-Key`` header only to non-public endpoints, posts form bodies, maps 403 to ``InvalidCredsError``, 503 to
``ServiceUnavailableError`` (retried once after 0.5 s) and any other error to ``LibcloudError``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.compat.conftest import PROVISION_SECONDS, SSH_KEY
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer, ManualClock

pytest.importorskip("libcloud")
from libcloud.common.types import InvalidCredsError, LibcloudError, ServiceUnavailableError
from libcloud.compute.drivers import vultr as vultr_driver_module
from libcloud.compute.drivers.vultr import VultrNodeDriver, VultrNodeDriverV1
from libcloud.compute.types import NodeState


def connect(url: str, key: str = DEFAULT_API_KEY) -> VultrNodeDriverV1:
    parts = urlsplit(url)
    return VultrNodeDriver(key, api_version="1", secure=False, host=parts.hostname, port=parts.port)


@pytest.fixture
def driver(server: EmulatorServer) -> VultrNodeDriverV1:
    return connect(server.url)


def by_id(items: list, item_id: str):
    return next(item for item in items if item.id == item_id)


def test_catalog(driver: VultrNodeDriverV1) -> None:
    locations, sizes, images = driver.list_locations(), driver.list_sizes(), driver.list_images()
    new_jersey = by_id(locations, "1")
    assert (new_jersey.name, new_jersey.country, new_jersey.extra["regioncode"]) == (
        "New Jersey",
        "US",
        "EWR",
    )
    size = by_id(sizes, "201")
    assert (size.ram, size.disk, size.bandwidth, size.price) == (1024, 25, 1, 5.0)
    assert size.extra["vcpu_count"] == 1 and 1 in size.extra["available_locations"]
    assert by_id(images, "167").name == "CentOS 7 x64"
    assert {"159", "164", "180", "186"} <= {image.id for image in images}


def test_empty_lists(driver: VultrNodeDriverV1) -> None:
    assert driver.list_nodes() == []
    assert driver.list_key_pairs() == []


def test_key_pairs(driver: VultrNodeDriverV1) -> None:
    assert driver.create_key_pair("deploy", SSH_KEY) is True
    (key,) = driver.list_key_pairs()
    assert (key.name, key.pub_key) == ("deploy", SSH_KEY)
    with pytest.raises(
        LibcloudError, match=re.escape("Unable to create SSH Key: Invalid SSH key.  Keys should be")
    ):
        driver.create_key_pair("broken", "ssh-rsa")
    assert driver.delete_key_pair(key) is True
    with pytest.raises(LibcloudError, match=r"Invalid SSH Key\.  Check SSHKEYID"):
        driver.delete_key_pair(key)


def test_node_lifecycle(driver: VultrNodeDriverV1, clock: ManualClock) -> None:
    driver.create_key_pair("deploy", SSH_KEY)
    (key,) = driver.list_key_pairs()
    location, size = by_id(driver.list_locations(), "1"), by_id(driver.list_sizes(), "201")
    image = by_id(driver.list_images(), "167")
    attributes = {"enable_ipv6": True, "enable_private_network": True, "tag": "web", "hostname": "web-1"}
    # create_node re-lists the servers at once: the new one must already be there, pending.
    node = driver.create_node(
        "web-1", size, image, location, ex_ssh_key_ids=[key.id], ex_create_attr=attributes
    )
    assert node is not None and node.state == NodeState.PENDING
    assert (node.name, node.size.id, node.image.id, node.extra["tag"]) == ("web-1", "201", "167", "web")

    clock.advance(PROVISION_SECONDS * 3)
    (node,) = driver.list_nodes()
    assert node.state == NodeState.RUNNING
    assert node.public_ips[0].startswith(("192.0.2.", "198.51.100.", "203.0.113."))
    assert node.private_ips and node.extra["v6_networks"][0]["v6_network_size"] == "64"
    assert node.extra["server_state"] == "ok" and node.extra["default_password"]

    assert driver.reboot_node(node) is True
    assert driver.destroy_node(node) is True
    assert driver.list_nodes() == []
    with pytest.raises(LibcloudError, match=r"Invalid server\.  Check SUBID"):
        driver.destroy_node(node)


def test_plan_not_available_in_region(driver: VultrNodeDriverV1) -> None:
    location, image = by_id(driver.list_locations(), "1"), by_id(driver.list_images(), "167")
    size = next(size for size in driver.list_sizes() if 1 not in size.extra["available_locations"])
    with pytest.raises(
        LibcloudError, match=re.escape("Plan is not available in the selected datacenter.  This could")
    ):
        driver.create_node("nowhere", size, image, location)


def test_wrong_key(server: EmulatorServer) -> None:
    wrong = connect(server.url, key="WRONG-KEY")
    with pytest.raises(InvalidCredsError, match="Invalid API key"):
        wrong.list_nodes()
    assert wrong.list_sizes(), "public endpoints are called without the key"


def test_rate_limited_call_is_retried_by_the_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """libcloud sleeps 0.5 s after a 503 and retries once; at 2 requests/s the retry gets through.

    Counted, not timed: the emulator's clock is manual and the driver's sleep advances it, so the
    answers (200, 503, then 200 for the retry) do not depend on how loaded the machine is.
    """
    clock = ManualClock()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    monkeypatch.setattr(vultr_driver_module.time, "sleep", sleep)
    emulator = Emulator(EmulatorConfig(rate_limit=2, rate_burst=1, clock=clock))
    answers: list[tuple[str, int]] = []

    def recording(environ, start_response):
        def start(status, headers, exc_info=None):
            answers.append((environ["PATH_INFO"], int(status.split()[0])))
            return start_response(status, headers, exc_info)

        return emulator(environ, start)

    with EmulatorServer(recording) as limited:
        driver = connect(limited.url)
        assert driver.list_nodes() == [] and driver.list_nodes() == []
    emulator.close()
    assert answers == [("/v1/server/list", 200), ("/v1/server/list", 503), ("/v1/server/list", 200)]
    assert slept == [0.5]


def test_rate_limit_exhausted_surfaces_service_unavailable() -> None:
    clock = ManualClock()
    with EmulatorServer(config=EmulatorConfig(rate_limit=2, rate_burst=1, clock=clock)) as limited:
        driver = connect(limited.url)
        driver.list_nodes()
        with pytest.raises(
            ServiceUnavailableError, match="Rate limit reached - please try your request again"
        ):
            driver.list_key_pairs()
        limited.emulator.close()
