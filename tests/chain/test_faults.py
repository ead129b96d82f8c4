"""Every endpoint fault against a real local server that misbehaves on purpose.

Asserts what the user relies on: the message names the endpoint and the fault, transient faults are retried
(counted on the server) and others are not, failover reaches the next endpoint, other connections carry on,
and the CLI prints one line instead of a traceback.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ics_workbench.chain.comet import CometRpc
from ics_workbench.chain.connect import HttpSettings, connect_urls
from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.chain.overview import load_provider_overview
from ics_workbench.chain.rest import RestClient, paginate
from ics_workbench.errors import AllEndpointsFailed, EndpointError
from tests.chain.conftest import FAST
from tests.chain.fakechain import FakeChain, Fault
from tests.chain.test_connect import closed_port_url

STATUS = "/status"
VALIDATORS = "/cosmos/staking/v1beta1/validators"


def http(*urls: str, timeout: float = 2.0, retries: int = 2) -> JsonHttp:
    return JsonHttp([Endpoint(u) for u in urls], timeout=timeout, retries=retries, backoff=0.01)


def test_unreachable_port_is_retried_then_named() -> None:
    url = closed_port_url()
    client = http(url)
    with pytest.raises(EndpointError) as caught:
        CometRpc(client).status()
    assert caught.value.kind == "unreachable"
    assert str(caught.value).startswith(f"{url}/status: cannot connect")
    assert client.stats.requests == 3  # first try + 2 retries


def test_timeout_is_retried_and_named(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    chain.fault(STATUS, Fault(sleep=1.0))
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(chain.url, timeout=0.2)).status()
    assert caught.value.kind == "timeout"
    assert str(caught.value).startswith(f"{chain.url}/status: timed out")
    assert chain.hits[STATUS] == 3


def test_https_to_a_plain_http_port_is_a_tls_error(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    url = chain.url.replace("http://", "https://")
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(url)).status()
    assert caught.value.kind == "tls"
    assert str(caught.value).startswith(f"{url}/status: TLS error")
    assert caught.value.transient is False


def self_signed_context(tmp_path: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def test_self_signed_certificate_is_a_tls_error(fake_chain: Callable[..., FakeChain], tmp_path: Path) -> None:
    chain = fake_chain(tls=self_signed_context(tmp_path))
    assert chain.url.startswith("https://")
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(chain.url)).status()
    assert caught.value.kind == "tls"
    assert str(caught.value).startswith(f"{chain.url}/status: TLS error: certificate not trusted (self")


def test_connection_dropped_mid_request_is_retried(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    chain.fault(STATUS, Fault(drop=True))
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(chain.url)).status()
    assert caught.value.kind == "unreachable"
    assert str(caught.value).startswith(f"{chain.url}/status: connection broken")
    assert chain.hits[STATUS] == 3


def test_http_4xx_is_not_retried_and_carries_the_node_message(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    other = fake_chain()
    chain.fault(VALIDATORS, Fault(status=400, body={"code": 3, "message": "invalid request: bad status filter"}))
    with pytest.raises(EndpointError) as caught:
        RestClient(http(chain.url, other.url)).validators()
    error = caught.value
    assert (error.kind, error.status) == ("http", 400)
    assert str(error) == f"{chain.url}{VALIDATORS}: HTTP 400: invalid request: bad status filter"
    assert chain.hits[VALIDATORS] == 1
    assert other.hits[VALIDATORS] == 0  # an answer about the request itself: no failover either


def test_redirect_names_the_target_and_is_not_followed(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    chain.fault(STATUS, Fault(status=301, headers={"Location": "https://rpc.example.org/status"}))
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(chain.url)).status()
    assert str(caught.value) == (
        f"{chain.url}/status: HTTP 301: redirected to https://rpc.example.org/status; put the final URL in the profile"
    )
    assert chain.hits[STATUS] == 1


def test_http_5xx_is_retried_with_backoff_then_recovers(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    chain.fault(STATUS, Fault(status=503, times=2))
    status = CometRpc(http(chain.url)).status()
    assert status.latest_height == 1000
    assert chain.hits[STATUS] == 3


def test_http_5xx_fails_over_to_the_second_endpoint(fake_chain: Callable[..., FakeChain]) -> None:
    broken, good = fake_chain(), fake_chain(height=999)
    broken.fault(STATUS, Fault(status=502))
    status = CometRpc(http(broken.url, good.url)).status()
    assert (status.url, status.latest_height) == (good.url, 999)
    assert broken.hits[STATUS] == 3 and good.hits[STATUS] == 1


def test_http_5xx_on_every_endpoint_names_each(fake_chain: Callable[..., FakeChain]) -> None:
    first, second = fake_chain(), fake_chain()
    first.fault(STATUS, Fault(status=500, body={"message": "boom"}))
    second.fault(STATUS, Fault(status=503, raw=b"<html>Service Unavailable</html>"))
    with pytest.raises(AllEndpointsFailed) as caught:
        CometRpc(http(first.url, second.url)).status()
    assert str(caught.value) == (
        f"no endpoint answered: {first.url}/status: HTTP 500: boom; "
        f"{second.url}/status: HTTP 503: <html>Service Unavailable</html>"
    )


def test_jsonrpc_error_is_reported_not_retried(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain()
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(chain.url)).validators(height=5000)
    assert caught.value.kind == "rpc"
    assert "must be less than or equal to the current blockchain height 1000" in str(caught.value)
    assert chain.hits["/validators"] == 1


def test_jsonrpc_error_fails_over_to_a_node_that_has_the_height(fake_chain: Callable[..., FakeChain]) -> None:
    pruned, archive = fake_chain(height=1000), fake_chain(height=6000)
    height, validators = CometRpc(http(pruned.url, archive.url)).validators(height=5000)
    assert (height, len(validators)) == (5000, 4)
    assert pruned.hits["/validators"] == 1 and archive.hits["/validators"] == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "answer is not valid JSON (application/json): '<html>"),
        (b'{"jsonrpc": "2.0", "result": {"node_info": {"network": "pro', "answer is not valid JSON"),
    ],
    ids=["non-json", "truncated-json"],
)
def test_malformed_json_is_named_and_failed_over(
    fake_chain: Callable[..., FakeChain], raw: bytes, expected: str
) -> None:
    broken, good = fake_chain(), fake_chain()
    broken.fault(STATUS, Fault(raw=raw))
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(broken.url)).status()
    assert caught.value.kind == "json"
    assert str(caught.value).startswith(f"{broken.url}/status: {expected}")
    assert broken.hits[STATUS] == 1  # a broken answer is not retried on the same endpoint...
    assert CometRpc(http(broken.url, good.url)).status().url == good.url  # ...but the next endpoint is tried


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda b: (b["result"]["sync_info"].pop("latest_block_height"), b)[1],
            "answer has no field 'sync_info.latest_block_height'",
        ),
        (
            lambda b: (b["result"]["sync_info"].update(latest_block_height="12x"), b)[1],
            "field 'sync_info.latest_block_height' is not an integer: '12x'",
        ),
        (
            lambda b: (b["result"]["sync_info"].update(latest_block_time="yesterday"), b)[1],
            "field 'sync_info.latest_block_time' is not an RFC 3339 time: 'yesterday'",
        ),
        (lambda b: {"jsonrpc": "2.0", "id": -1}, "answer has no field 'result'"),
        (lambda b: [], "field 'answer' is not an object (got list)"),
    ],
    ids=["missing", "not-int", "bad-time", "no-result", "not-object"],
)
def test_missing_or_garbled_fields_name_endpoint_and_field(
    fake_chain: Callable[..., FakeChain], mutate: Callable[[object], object], expected: str
) -> None:
    chain = fake_chain()
    chain.fault(STATUS, Fault(mutate=mutate))
    with pytest.raises(EndpointError) as caught:
        CometRpc(http(chain.url)).status()
    assert caught.value.kind == "shape"
    assert str(caught.value) == f"{chain.url}/status: {expected}"


def test_missing_field_deep_in_a_validator_is_named(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(validators=3)

    def drop_key(body: dict) -> dict:  # type: ignore[type-arg]
        del body["validators"][1]["consensus_pubkey"]["key"]
        return body

    chain.fault(VALIDATORS, Fault(mutate=drop_key))
    with pytest.raises(EndpointError, match=r"answer has no field 'validators\[1\].consensus_pubkey.key'") as caught:
        RestClient(http(chain.url)).validators()
    assert caught.value.url == chain.url + VALIDATORS


def test_pagination_follows_every_page(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(validators=450)
    validators = RestClient(http(chain.url)).validators()
    assert len(validators) == 450
    assert len({v.operator_address for v in validators}) == 450
    assert chain.hits[VALIDATORS] == 3  # 200 + 200 + 50
    assert abs(sum(v.share for v in validators) - 1.0) < 1e-9
    assert [v.power for v in validators] == sorted((v.power for v in validators), reverse=True)


def test_pagination_with_a_repeated_key_is_an_error_not_a_loop(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(validators=10)

    def stuck(body: dict) -> dict:  # type: ignore[type-arg]
        body["pagination"]["next_key"] = "Mw=="  # always "3": the server never moves past the second page
        return body

    chain.fault(VALIDATORS, Fault(mutate=stuck))
    with pytest.raises(EndpointError, match="pagination repeats next_key 'Mw=='") as caught:
        paginate(http(chain.url), VALIDATORS, "validators", page_size=3)
    assert caught.value.kind == "shape"
    assert chain.hits[VALIDATORS] == 2


def test_comet_validators_follow_every_page(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(validators=250)
    height, validators = CometRpc(http(chain.url)).validators()
    assert (height, len(validators)) == (1000, 250)
    assert len({v.address for v in validators}) == 250
    assert chain.hits["/validators"] == 3  # 100 per page


def test_other_connections_are_unaffected(fake_chain: Callable[..., FakeChain]) -> None:
    healthy = fake_chain(chain_id="provider", validators=6, consumers=4)
    sick = fake_chain(chain_id="provider-b")
    with (
        connect_urls([healthy.url], [healthy.url], settings=FAST) as good,
        connect_urls([sick.url], [sick.url], settings=FAST) as bad,
    ):
        sick.fault("*", Fault(raw=b"not json"))
        with pytest.raises(EndpointError, match="not valid JSON"):
            load_provider_overview(bad)
        overview = load_provider_overview(good)
        assert len(overview.validators) == 6 and len(overview.consumers) == 4


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ics_workbench", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )


@pytest.mark.parametrize("fault", ["non-json", "unreachable", "shape"])
def test_cli_prints_one_line_and_no_traceback(fake_chain: Callable[..., FakeChain], fault: str) -> None:
    chain = fake_chain()
    url = chain.url
    if fault == "non-json":
        chain.fault(STATUS, Fault(raw=b"<html>oops</html>"))
    elif fault == "unreachable":
        url = closed_port_url()
    else:
        chain.fault(STATUS, Fault(mutate=lambda b: (b["result"].pop("sync_info"), b)[1]))
    result = run_cli("chain", "status", "--rpc", url, "--rest", url, "--timeout", "2")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {url}/status: ")
    assert "Traceback" not in result.stderr


def test_settings_for_tests_are_fast() -> None:
    # guards the retry-count assertions above: they assume exactly two retries
    assert FAST.retries == 2 and isinstance(FAST, HttpSettings)
