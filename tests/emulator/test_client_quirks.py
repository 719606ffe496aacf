"""Emulator behaviour chosen so that real third-party v1 clients work (found by tests/compat): request shapes
those clients send that the reference does not rule out."""

from __future__ import annotations

from tests.emulator.conftest import Api


def test_ipv6_lists_also_answer_post_as_vultr_node_sends_them(api: Api, active_server: str) -> None:
    """vultr-node 0.1.x-1.0.4 declares server/list_ipv6 and reverse_list_ipv6 as POST (form body)."""
    listed = api.ok(api.get("server/list_ipv6", SUBID=active_server))
    assert api.ok(api.post("server/list_ipv6", SUBID=active_server)) == listed
    (main,) = listed[active_server]
    api.ok(api.post("server/reverse_set_ipv6", SUBID=active_server, ip=main["ip"], entry="v6.example.com"))
    expected = {active_server: [{"ip": main["ip"], "reverse": "v6.example.com"}]}
    assert api.ok(api.post("server/reverse_list_ipv6", SUBID=active_server)) == expected
    assert api.ok(api.get("server/reverse_list_ipv6", SUBID=active_server)) == expected


def test_ipv6_lists_by_post_keep_their_errors(api: Api) -> None:
    for endpoint in ("server/list_ipv6", "server/reverse_list_ipv6"):
        unknown = api.post(endpoint, SUBID="999999")
        assert (unknown.status_code, unknown.text) == (412, api.get(endpoint, SUBID="999999").text)
        assert unknown.text.startswith("Invalid server.  Check SUBID")
        assert api.post(endpoint, key=None, SUBID="1").status_code == 403


def test_other_reads_still_refuse_post(api: Api) -> None:
    for endpoint in ("server/list", "server/list_ipv4", "server/bandwidth", "sshkey/list", "snapshot/list"):
        assert api.post(endpoint).status_code == 405, endpoint
