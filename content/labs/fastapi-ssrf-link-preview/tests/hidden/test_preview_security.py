"""Security checks: no link, in any spelling, makes Corkboard fetch an address inside its container.

Every link goes through both doors that fetch (the preview endpoint and a pinned note) and the
pages that show notes again. Refusing a link (4xx) or failing to fetch it (502) is always fine.
"""

from __future__ import annotations

from conftest import assert_nothing_inside_reached, through_every_door

AGENT_PATH = ":8775/v1/secrets"
LOOPBACK_HOSTS = [
    "127.0.0.1",
    "localhost",
    "LOCALHOST",
    "localhost.",
    "127.0.0.1.",
    "127.1",
    "127.0.1",
    "127.255.255.254",
    "2130706433",
    "0x7f000001",
    "0x7F.0.0.1",
    "0177.0.0.1",
    "017700000001",
    "0.0.0.0",
    "0",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
    "localtest.me",
    "LocalTest.Me",
    "127.0.0.1.nip.io",
]


METADATA_PATH = "/latest/meta-data/iam/security-credentials/corkboard-app"
METADATA_HOSTS = [
    "169.254.169.254",
    "169.254.169.254:80",
    "2852039166",
    "0xa9fea9fe",
    "0xA9.0xFE.0xA9.0xFE",
    "0251.0376.0251.0376",
    "169.254.43518",
    "[::ffff:169.254.169.254]",
    "[::ffff:a9fe:a9fe]",
]


def test_loopback_addresses_cannot_be_fetched(app_client, lab_flag):
    for host in LOOPBACK_HOSTS:
        for url in [
            f"http://{host}{AGENT_PATH}",
            f"HTTP://{host}{AGENT_PATH}?x=1#card",
            f"http://{host}:08775/v1/secrets",
        ]:
            assert_nothing_inside_reached(through_every_door(app_client, url), lab_flag, url)


def test_the_metadata_address_cannot_be_fetched(app_client, lab_flag):
    for host in METADATA_HOSTS:
        for url in [f"http://{host}{METADATA_PATH}", f"hTTp://{host}/latest/meta-data/"]:
            assert_nothing_inside_reached(through_every_door(app_client, url), lab_flag, url)


def test_links_with_tricky_syntax_cannot_reach_inside(app_client, lab_flag):
    urls = [
        f"http://news.example@127.0.0.1{AGENT_PATH}",
        f"http://user:pass@localhost{AGENT_PATH}",
        f"https://127.0.0.1{AGENT_PATH}",
        f"  http://127.0.0.1{AGENT_PATH}  ",
        f"http:/127.0.0.1{AGENT_PATH}",
        f"http://127.0.0.1{AGENT_PATH}".replace("/v1/", "/v1/%2e/"),
        f"http://127.0.0.1{AGENT_PATH}/../secrets",
        "http://127.0.0.1:8775/",
    ]
    for url in urls:
        assert_nothing_inside_reached(through_every_door(app_client, url), lab_flag, url)


def test_redirects_cannot_lead_inside(app_client, lab_flag):
    insides = [
        f"http://{host}{AGENT_PATH}"
        for host in ["127.0.0.1", "2130706433", "[::ffff:127.0.0.1]", "0.0.0.0", "localtest.me"]
    ] + [f"http://{host}{METADATA_PATH}" for host in ["169.254.169.254", "2852039166"]]
    for inside in insides:
        for url in [
            f"http://go.example/r?to={inside}",
            f"https://go.example/r?to={inside}",
            f"http://go.example/r?to=http://go.example/r?to={inside}",
        ]:
            assert_nothing_inside_reached(through_every_door(app_client, url), lab_flag, url)


def test_other_schemes_are_refused(app_client, lab_flag):
    for url in [
        "file:///etc/passwd",
        "ftp://127.0.0.1:8775/v1/secrets",
        "gopher://127.0.0.1:8775/_GET%20/v1/secrets",
        "dict://127.0.0.1:8775/",
        "javascript:alert(1)",
    ]:
        responses = through_every_door(app_client, url)
        assert_nothing_inside_reached(responses, lab_flag, url)
        assert responses[0][1].status_code in {400, 422}, f"{url!r} was not refused"
        assert "root:" not in responses[0][1].text


def test_malformed_links_get_a_clean_error(app_client, lab_flag):
    for url in [
        "",
        " ",
        "http://",
        "http:///x",
        "http://[::1",
        "http://a b/",
        "http://x:99999/",
        "http://" + "a" * 300 + ".example/",
        "news.example/2026",
        "%",
        12,
        None,
        ["x"],
    ]:
        assert_nothing_inside_reached(through_every_door(app_client, url), lab_flag, url)
    for body in [{}, {"url": {"href": "x"}}, []]:
        response = app_client.post("/api/preview", json=body)
        assert response.status_code in {400, 422}
