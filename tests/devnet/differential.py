"""Runs generated proposal cases against the real provider and classifies app verdict vs chain verdict vs state.

How the chain judges each mode:
  dry     ``tx provider create-consumer|update-consumer FILE --dry-run`` / ``tx gov submit-proposal FILE
          --dry-run``: the binary's own Go JSON decoding and ValidateBasic, then the whole tx simulated by the
          node (ante handler + msg server, gov's submission checks) against current state, nothing committed.
          Independent, so they run in parallel.
  exec    really sent; the stored consumer is then compared with what the file meant.
  launch  really created with a spawn time seconds ahead, validator A opts in; after spawn the phase decides.
  gov     submitted, voted YES by validator A, and the proposal's final status decides (FAILED = refused).

Classes: agree, missed (app accepts, chain refuses), false alarm (app refuses, chain accepts as meant),
silent-warned / silent-unwarned (chain accepts, the result differs from the file; did the app say so?).
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.devnet.node import Devnet, DevnetTxError
from ics_workbench.proposals.chain_facts import fetch_provider_facts
from ics_workbench.proposals.check import check
from ics_workbench.proposals.codec import ProposalFormatError
from ics_workbench.proposals.facts import ProviderFacts
from ics_workbench.proposals.formats import load_text
from tests.devnet.proposal_cases import Case, Env, create_base, generate, init_params

CLASSES = ("agree", "missed", "false alarm", "silent-warned", "silent-unwarned")
# problems that name a consequence the chain will not refuse (launch fallback, halt, lock, zeroing, queueing)
CONSEQUENCE_RULES = frozenset({
    "launch_trusting_period", "launch_connection_missing", "launch_min_stake_excludes_all",
    "new_owner_upper_case", "new_chain_id_halts_provider", "new_chain_id_revision_mismatch", "new_chain_id_unchecked",
    "infraction_block_partial", "infraction_params_queued", "reset_to_zero", "top_n_reset",
})
_INFRA = ("connection refused", "account sequence mismatch", "context deadline", "EOF", "timed out")
_PROVIDER = "/interchain_security/ccv/provider"


@dataclass
class Outcome:
    case: Case
    app_refused: bool = False
    app_lines: list[str] = field(default_factory=list)
    warned: bool = False
    chain_refused: bool = False
    chain_log: str = ""
    damaged: bool | None = None

    @property
    def klass(self) -> str:
        if self.chain_refused:
            return "agree" if self.app_refused else "missed"
        if self.damaged:
            return "silent-warned" if (self.warned or self.app_refused) else "silent-unwarned"
        return "false alarm" if self.app_refused else "agree"

    def report(self) -> str:
        chain = f"chain refused: {self.chain_log[:200]}" if self.chain_refused else "chain accepted"
        app = "; ".join(self.app_lines)[:400] or "app: valid"
        return f"[{self.klass}] {self.case.name} | {chain} | damaged={self.damaged} | {app}"


class Harness:
    def __init__(self, chain: Devnet, seed: int, workers: int = 3) -> None:
        self.chain = chain
        self.seed = seed
        self.workers = workers
        self.files = chain._root() / "harness"
        self.files.mkdir(exist_ok=True)
        self._n = 0

    # ----- chain plumbing -----------------------------------------------------------------------------------

    def fresh_chain_id(self, revision: bool = True) -> str:
        self._n += 1
        tag = uuid.uuid4().hex[:4]
        return f"h{self._n}{tag}-1" if revision else f"h{self._n}{tag}"

    def write(self, name: str, data: Any) -> Path:
        path = self.files / f"{name}-{uuid.uuid4().hex[:8]}.json"
        path.write_text(json.dumps(data, ensure_ascii=False))
        return path

    def rest(self, path: str) -> Any:
        return self.chain.http.get(self.chain.rest_url + path).json()

    def create(self, body: dict[str, Any], sender: str) -> str:
        tx = self.chain.tx("provider", "create-consumer", str(self.write("create", body)), sender=sender)
        return _attr(tx, "create_consumer", "consumer_id")

    def dry_run(self, args: list[str], sender_address: str) -> tuple[bool, str]:
        """(refused, log) from the binary with --dry-run; infrastructure hiccups are retried, never judged."""
        cmd = [str(self.chain.binary), *args, "--from", sender_address, "--dry-run", "--chain-id", self.chain.chain_id,
               "--node", self.chain.node_address, "--home", str(self.chain.home), "--keyring-backend", "test"]
        for attempt in range(6):
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            text = (out.stderr + out.stdout).strip()
            if out.returncode == 0:
                return False, text
            if any(marker in text for marker in _INFRA):
                time.sleep(0.3 * (attempt + 1))
                continue
            return True, _first_line(text)
        raise AssertionError(f"the chain could not judge {args}: {text[:300]}")

    # ----- setup --------------------------------------------------------------------------------------------

    def setup(self) -> Env:
        c = self.chain
        user, other = c.user.address, c.validator_b.address
        env0 = Env(user, other, c.gov_address, c.validator_a.valcons, "", "", "", c.settings.min_deposit, c.denom, 0)
        registered = self.create(create_base(env0, "reg-1"), "user")
        gov_owned = self.create(create_base(env0, "gov-1"), "user")
        path = self.write("hand", {"consumer_id": gov_owned, "new_owner_address": c.gov_address})
        c.tx("provider", "update-consumer", str(path), sender="user")
        spawn = _rfc3339(datetime.now(timezone.utc) + timedelta(seconds=4))
        launched_body = create_base(env0, "lau-1")
        launched_body["initialization_parameters"] = init_params(1, spawn)
        launched = self.create(launched_body, "user")
        c.tx("provider", "opt-in", launched, sender=c.validator_a.name)
        c.wait_for(lambda: self._phase(launched) == "CONSUMER_PHASE_LAUNCHED" or None, "fixture consumer to launch", 60)
        vals = self.rest("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED")["validators"]
        bonded_max = max(int(v["tokens"]) for v in vals)
        return Env(user, other, c.gov_address, c.validator_a.valcons, registered, launched, gov_owned,
                   c.settings.min_deposit, c.denom, bonded_max)

    def _phase(self, consumer_id: str) -> str:
        return str(self.rest(f"{_PROVIDER}/consumer_chain/{consumer_id}").get("phase", ""))

    def facts(self, consumer_ids: list[str]) -> ProviderFacts:
        with JsonHttp([Endpoint(self.chain.rest_url)]) as http:
            facts = fetch_provider_facts(http, version="v7.0.0", consumer_ids=consumer_ids)
        facts.chain_id = self.chain.chain_id
        return facts

    # ----- the app's verdict --------------------------------------------------------------------------------

    def app(self, outcome: Outcome, facts: ProviderFacts) -> None:
        case = outcome.case
        text = json.dumps(case.body, ensure_ascii=False)
        signer = self.chain.accounts[case.signer].address if case.route == "tx" else ""
        try:
            draft, _ = load_text(text, "provider-cli" if case.route == "tx" else "gov", signer=signer)
        except ProposalFormatError as exc:
            outcome.app_refused, outcome.app_lines = True, [f"exit 2: {exc}"]
            return
        draft.route = case.route
        verdict = check(draft, facts, signer=signer)
        outcome.app_refused = not verdict.valid
        outcome.app_lines = [p.line() for p in verdict.problems if p.is_error or p.rule in CONSEQUENCE_RULES]
        outcome.warned = any(p.rule in CONSEQUENCE_RULES for p in verdict.problems)

    # ----- running ------------------------------------------------------------------------------------------

    def run(self, sample: float = 1.0) -> list[Outcome]:
        env = self.setup()
        cases = generate(env, self.seed, sample=sample)
        for case in cases:
            _fill_fresh(case, self)
        ids = sorted({str(c.body.get("consumer_id", "")) for c in cases} | {env.registered, env.launched, env.gov_owned, "999"}
                     | {str(m.get("consumer_id", "")) for c in cases for m in c.body.get("messages", []) if isinstance(m, dict)})
        outcomes = [Outcome(c) for c in cases]
        by_mode: dict[str, list[Outcome]] = {}
        for o in outcomes:
            by_mode.setdefault(o.case.mode, []).append(o)

        facts = self.facts([i for i in ids if i])
        for o in by_mode.get("dry", []):
            self.app(o, facts)
        with ThreadPoolExecutor(self.workers) as pool:
            background = pool.submit(self._real, by_mode, env)
            list(pool.map(self._judge_dry, by_mode.get("dry", [])))
            background.result()
        return outcomes

    def _judge_dry(self, o: Outcome) -> None:
        case = o.case
        path = self.write("case", case.body)
        address = self.chain.accounts[case.signer].address
        if case.route == "tx":
            o.chain_refused, o.chain_log = self.dry_run(["tx", "provider", case.command, str(path)], address)
        else:
            o.chain_refused, o.chain_log = self.dry_run(["tx", "gov", "submit-proposal", str(path)], address)

    def _real(self, by_mode: dict[str, list[Outcome]], env: Env) -> None:
        self._launch(by_mode.get("launch", []))
        self._exec(by_mode.get("exec", []))
        self._gov(by_mode.get("gov", []))

    def _send(self, o: Outcome, args: list[str], sender: str) -> dict[str, Any] | None:
        try:
            return self.chain.tx(*args, sender=sender)
        except DevnetTxError as exc:
            o.chain_refused, o.chain_log = True, _first_line(exc.raw_log)
        except Exception as exc:  # the CLI itself refused the file (decoding, ValidateBasic, panic)
            o.chain_refused, o.chain_log = True, _first_line(str(exc))
        return None

    def _exec(self, outcomes: list[Outcome]) -> None:
        for o in outcomes:
            case = o.case
            if case.body.get("consumer_id") == "<fresh>":
                case.body["consumer_id"] = self.create(create_base(_env_stub(self), self.fresh_chain_id()), "val-b")
            facts = self.facts([str(case.body.get("consumer_id", ""))] if "consumer_id" in case.body else [])
            case.signer = "val-b"
            self.app(o, facts)
            tx = self._send(o, ["provider", case.command, str(self.write("exec", case.body))], "val-b")
            if tx is None:
                continue
            consumer_id = str(case.body.get("consumer_id") or _attr(tx, "create_consumer", "consumer_id"))
            state = self.rest(f"{_PROVIDER}/consumer_chain/{consumer_id}")
            if case.probe == "owner":
                o.damaged = state["owner_address"] != case.expect["owner"]
            elif case.probe == "double_sign":
                stored = state["infraction_parameters"]["double_sign"]
                want = case.expect
                o.damaged = (
                    _ns(stored["jail_duration"]) != int(want["jail_duration"])
                    or bool(stored.get("tombstone", False)) != bool(want["tombstone"])
                )

    def _launch(self, outcomes: list[Outcome]) -> None:
        """Each consumer is created without a spawn time and validator A opts in; only then one update per
        consumer sets the file's initialization parameters with a spawn time now (a past spawn time launches at
        the next block), so a slow machine never turns "nobody opted in yet" into a false fallback."""
        if not outcomes:
            return
        facts = self.facts([])
        facts.now = datetime.now(timezone.utc)
        created: list[tuple[Outcome, str]] = []
        for o in outcomes:
            o.case.signer = "val-b"
            o.case.body["initialization_parameters"]["spawn_time"] = _rfc3339(datetime.now(timezone.utc) + timedelta(days=1))
            self.app(o, facts)
            staged = json.loads(json.dumps(o.case.body))
            staged["initialization_parameters"]["spawn_time"] = "0001-01-01T00:00:00Z"
            tx = self._send(o, ["provider", "create-consumer", str(self.write("launch", staged))], "val-b")
            if tx is not None:
                consumer_id = _attr(tx, "create_consumer", "consumer_id")
                self.chain.tx("provider", "opt-in", consumer_id, sender=self.chain.validator_a.name)
                created.append((o, consumer_id))
        launching: list[tuple[Outcome, str]] = []
        for o, consumer_id in created:
            ip = dict(o.case.body["initialization_parameters"], spawn_time=_rfc3339(datetime.now(timezone.utc)))
            update = {"consumer_id": consumer_id, "initialization_parameters": ip}
            if self._send(o, ["provider", "update-consumer", str(self.write("spawn", update))], "val-b") is not None:
                launching.append((o, consumer_id))
        self.chain.wait_blocks(3)
        log = self.chain.log_path.read_text(errors="replace")
        for o, consumer_id in launching:
            o.damaged = self._phase(consumer_id) != o.case.expect["phase"]
            if o.damaged:
                why = [ln for ln in log.splitlines() if "could not launch" in ln and f"consumerId={consumer_id} " in ln]
                o.chain_log = "launch failed: " + (why[0][:300] if why else "(no log line)")

    def _gov(self, outcomes: list[Outcome]) -> None:
        submitted: list[tuple[Outcome, str]] = []
        ids = {str(m.get("consumer_id", "")) for o in outcomes for m in o.case.body["messages"]}
        facts = self.facts([i for i in ids if i])
        for o in outcomes:
            self.app(o, facts)
        for o in outcomes:
            tx = self._send(o, ["gov", "submit-proposal", str(self.write("gov", o.case.body))], "user")
            if tx is not None:
                proposal_id = _attr(tx, "submit_proposal", "proposal_id")
                self.chain.tx("gov", "vote", proposal_id, "yes", sender=self.chain.validator_a.name)
                submitted.append((o, proposal_id))
        for o, proposal_id in submitted:
            status = self.chain.wait_for(lambda pid=proposal_id: _final(self, pid), f"proposal {proposal_id}", 90)
            if status != "PROPOSAL_STATUS_PASSED":
                o.chain_refused = True
                o.chain_log = f"{status}: {self.rest(f'/cosmos/gov/v1/proposals/{proposal_id}')['proposal'].get('failed_reason', '')}"


def _final(h: Harness, proposal_id: str) -> str | None:
    status = str(h.rest(f"/cosmos/gov/v1/proposals/{proposal_id}")["proposal"]["status"])
    return None if status in ("PROPOSAL_STATUS_VOTING_PERIOD", "PROPOSAL_STATUS_DEPOSIT_PERIOD") else status


def _env_stub(h: Harness) -> Env:
    c = h.chain
    return Env(c.user.address, c.validator_b.address, c.gov_address, c.validator_a.valcons, "", "", "", 0, c.denom, 0)


def _fill_fresh(case: Case, h: Harness) -> None:
    def fix(doc: dict[str, Any]) -> None:
        if doc.get("chain_id") == "<fresh>":
            doc["chain_id"] = h.fresh_chain_id()
        elif doc.get("chain_id") == "<fresh-norev>":
            doc["chain_id"] = h.fresh_chain_id(revision=False)

    fix(case.body)
    for msg in case.body.get("messages", []):
        if isinstance(msg, dict):
            fix(msg)


def tally(outcomes: list[Outcome]) -> Counter[str]:
    counts: Counter[str] = Counter({k: 0 for k in CLASSES})
    counts.update(o.klass for o in outcomes)
    return counts


def confusion(outcomes: list[Outcome]) -> dict[str, dict[str, int]]:
    """rows: the chain (refused / accepted as meant / accepted with damage); columns: the app."""
    table: dict[str, dict[str, int]] = {}
    for o in outcomes:
        row = "chain refused" if o.chain_refused else ("chain accepted, damaged" if o.damaged else "chain accepted")
        col = "app refused" if o.app_refused else ("app warned" if o.warned else "app accepted")
        table.setdefault(row, {}).setdefault(col, 0)
        table[row][col] += 1
    return table


def _ns(value: Any) -> int:
    text = str(value)
    if text.endswith("s"):
        whole, _, frac = text[:-1].partition(".")
        return int(whole) * 10**9 + int((frac or "0").ljust(9, "0")[:9])
    return int(text)


def _attr(tx: dict[str, Any], event_type: str, key: str) -> str:
    for event in tx.get("events", []):
        if event.get("type") == event_type:
            for attribute in event.get("attributes", []):
                if attribute.get("key") == key:
                    return str(attribute["value"])
    raise AssertionError(f"no {event_type}.{key} in tx {tx.get('txhash')}")


def _first_line(text: str) -> str:
    """The error a CLI printed (cobra puts the usage text around it)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    for line in lines:
        if line.startswith(("Error:", "panic:")):
            return line.strip()
    for line in lines:
        if not line.startswith((" ", "\t")) and line.strip() not in ("Usage:", "Flags:", "Global Flags:") and not line.startswith("gas estimate"):
            return line.strip()
    return text.strip()[:300]


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
