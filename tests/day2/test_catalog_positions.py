"""Unknown catalog names point at the field's own value (on the entry, or in ``defaults`` when the value
comes from there), with a near name, on the real CLI and both APIs."""

from __future__ import annotations


def test_unknown_region_plan_and_os_point_at_their_own_lines(cli, tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text(
        "project: day2\n"
        "defaults:\n"
        "  region: New Jersy\n"  # line 3, value at column 11
        "  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW\n"
        "  os: Ubuntu 20.04 x64\n"
        "servers:\n"
        "  - label: web-1\n"
        "    os: Ubuntu 20.4 x64\n"  # line 8, column 9
        "  - label: web-2\n"
        "    region: New Jersey\n"
        "    plan: 1024 MB RAM,25GB SSD,1.00 TB BX\n"  # line 11, column 11
    )
    shown = cli("plan", str(site))
    assert shown.code == 1
    lines = shown.err.splitlines()
    assert lines[0] == "Error: cannot plan: 3 problems in the manifest:"
    assert lines[1:] == [
        f"  {site}:3:11: server 'web-1': unknown region 'New Jersy' (did you mean 'New Jersey'?)",
        f"  {site}:8:9: server 'web-1': unknown OS 'Ubuntu 20.4 x64' (did you mean 'Ubuntu 20.04 x64'?)",
        f"  {site}:11:11: server 'web-2': unknown plan '1024 MB RAM,25GB SSD,1.00 TB BX' "
        "(did you mean '1024 MB RAM,25 GB SSD,1.00 TB BW'?)",
    ]


def test_a_bad_default_is_reported_once_naming_every_server_it_reaches(cli, write):
    site = write("servers:\n  - label: web-1\n  - label: web-2\n")
    site.write_text(site.read_text().replace("region: New Jersey", "region: Nwe Jersey"))
    shown = cli("plan", str(site))
    assert shown.code == 1
    assert shown.err.splitlines()[1:] == [
        f"  {site}:3:11: server 'web-1', 'web-2': unknown region 'Nwe Jersey' (did you mean 'New Jersey'?)"
    ]
