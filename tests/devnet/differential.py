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
import re
import subprocess
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.devnet.node import Devnet
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
        spawn = _rfc3339(datetime.now(UTC) + timedelta(seconds=4))
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
        ids = sorted(
            {str(c.body.get("consumer_id", "")) for c in cases}
            | {env.registered, env.launched, env.gov_owned, "999"}
            | {str(m.get("consumer_id", "")) for c in cases for m in c.body.get("messages", []) if isinstance(m, dict)}
        )
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
        """The executed cases, in stages; within a stage every signer's txs go out back to back with managed
        sequence numbers (many per block) and the signers run in parallel, then all inclusions are awaited."""
        launch, execs, gov = by_mode.get("launch", []), by_mode.get("exec", []), by_mode.get("gov", [])
        stub = _env_stub(self)
        gov_facts = self.facts(
            sorted({str(m.get("consumer_id", "")) for o in gov for m in o.case.body["messages"]} - {""})
        )
        for o in gov:
            self.app(o, gov_facts)
        now_facts = self.facts([])
        now_facts.now = datetime.now(UTC)
        staged: list[tuple[Outcome, dict[str, Any]]] = []
        for o in launch:  # created without a spawn time; validator A opts in before the spawn time is set
            o.case.signer = "val-b"
            o.case.body["initialization_parameters"]["spawn_time"] = _rfc3339(datetime.now(UTC) + timedelta(days=1))
            self.app(o, now_facts)
            body = json.loads(json.dumps(o.case.body))
            body["initialization_parameters"]["spawn_time"] = "0001-01-01T00:00:00Z"
            staged.append((o, body))
        fresh = [o for o in execs if o.case.body.get("consumer_id") == "<fresh>"]

        # stage 1: creations (val-b) while the proposals are submitted (user) and voted (val-a)
        with ThreadPoolExecutor(1) as pool:
            voting = pool.submit(self._submit_and_vote, gov)
            stage1 = self.batch(
                {
                    "val-b": [
                        (o, ["provider", "create-consumer", str(self.write("launch", body))]) for o, body in staged
                    ]
                    + [
                        (
                            None,
                            [
                                "provider",
                                "create-consumer",
                                str(self.write("fresh", create_base(stub, self.fresh_chain_id()))),
                            ],
                        )
                        for _ in fresh
                    ],
                }
            )
            proposals = voting.result()
        launched = [
            (o, _attr(tx, "create_consumer", "consumer_id"))
            for (o, _b), tx in zip(staged, stage1["val-b"], strict=False)
            if tx
        ]
        for o, tx in zip(fresh, stage1["val-b"][len(staged):], strict=True):
            o.case.body["consumer_id"] = _attr(tx, "create_consumer", "consumer_id") if tx else "0"

        # stage 2: opt-ins (val-a), the executed updates/creates (val-b)
        exec_facts = self.facts(sorted({str(o.case.body.get("consumer_id", "")) for o in execs} - {""}))
        for o in execs:
            o.case.signer = "val-b"
            self.app(o, exec_facts)
        stage2 = self.batch({
            "val-a": [(None, ["provider", "opt-in", cid]) for _, cid in launched],
            "val-b": [(o, ["provider", o.case.command, str(self.write("exec", o.case.body))]) for o in execs],
        })
        # stage 3: the file's initialization parameters with a spawn time of now (a past one launches next block)
        spawn = _rfc3339(datetime.now(UTC))
        updates = [
            (
                o,
                [
                    "provider",
                    "update-consumer",
                    str(
                        self.write(
                            "spawn",
                            {
                                "consumer_id": cid,
                                "initialization_parameters": dict(
                                    o.case.body["initialization_parameters"], spawn_time=spawn
                                ),
                            },
                        )
                    ),
                ],
            )
            for o, cid in launched
        ]
        stage3 = self.batch({"val-b": updates})
        self._probe_exec(execs, stage2["val-b"])
        self.chain.wait_blocks(3)
        self._probe_launch([(o, cid) for (o, cid), tx in zip(launched, stage3["val-b"], strict=True) if tx])
        for o, proposal_id in proposals:
            status = self.chain.wait_for(lambda pid=proposal_id: _final(self, pid), f"proposal {proposal_id}", 90)
            if status != "PROPOSAL_STATUS_PASSED":
                o.chain_refused = True
                o.chain_log = (
                    f"{status}: "
                    f"{self.rest(f'/cosmos/gov/v1/proposals/{proposal_id}')['proposal'].get('failed_reason', '')}"
                )

    def _submit_and_vote(self, gov: list[Outcome]) -> list[tuple[Outcome, str]]:
        """All proposals go out back to back, then validator A votes YES on each (the harness chain's voting
        period leaves room for a loaded machine)."""
        submitted = self.batch(
            {"user": [(o, ["gov", "submit-proposal", str(self.write("gov", o.case.body))]) for o in gov]}
        )
        proposals = [
            (o, _attr(tx, "submit_proposal", "proposal_id")) for o, tx in zip(gov, submitted["user"], strict=True) if tx
        ]
        self.batch({"val-a": [(None, ["gov", "vote", pid, "yes"]) for _, pid in proposals]})
        return proposals

    def batch(self, jobs: dict[str, list[tuple[Outcome | None, list[str]]]]) -> dict[str, list[dict[str, Any] | None]]:
        """Per signer (in parallel): broadcast every tx with the next sequence number without waiting for a block,
        then wait for all of them. A refusal (CLI, CheckTx or DeliverTx) is recorded on the case's outcome; a
        refused helper tx (no outcome) fails the harness."""
        with ThreadPoolExecutor(max(1, len(jobs))) as pool:
            futures = {sender: pool.submit(self._send_resending, sender, items) for sender, items in jobs.items()}
            return {sender: future.result() for sender, future in futures.items()}

    def _send_resending(
        self, sender: str, items: list[tuple[Outcome | None, list[str]]]
    ) -> list[dict[str, Any] | None]:
        """`_send_all`, then once more for the txs refused only for a stale sequence number (at CheckTx or in the
        block): that is the harness's bookkeeping, never the chain's verdict on the case."""
        results = self._send_all(sender, items)
        for _round in range(3):
            stale = [i for i, (o, _a) in enumerate(items) if o is not None and results[i] is None
                     and "account sequence mismatch" in o.chain_log]
            if not stale:
                break
            for i in stale:
                outcome = items[i][0]
                assert outcome is not None
                outcome.chain_refused, outcome.chain_log = False, ""
            again = self._send_all(sender, [items[i] for i in stale])
            for i, result in zip(stale, again, strict=True):
                results[i] = result
        return results

    def _send_all(self, sender: str, items: list[tuple[Outcome | None, list[str]]]) -> list[dict[str, Any] | None]:
        address = self.chain.accounts[sender].address
        info = self.rest(f"/cosmos/auth/v1beta1/account_info/{address}")["info"]
        number, sequence = str(info["account_number"]), int(info.get("sequence") or 0)
        hashes: list[str | None] = []
        for outcome, args in items:
            for _attempt in range(4):
                cmd = [str(self.chain.binary), "tx", *args, "--from", sender, "--chain-id", self.chain.chain_id,
                       "--node", self.chain.node_address, "--home", str(self.chain.home), "--keyring-backend", "test",
                       "--gas", "2000000", "--fees", f"0{self.chain.denom}", "--broadcast-mode", "sync", "--yes",
                       "--output", "json", "--account-number", number, "--sequence", str(sequence)]
                out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
                sent: dict[str, Any] = {}
                if out.returncode == 0:
                    sent = json.loads(out.stdout[out.stdout.index("{"):])
                # CheckTx's raw_log, or the CLI's own error when its simulation met the lagging sequence first
                said = str(sent.get("raw_log", "")) if out.returncode == 0 else out.stderr + out.stdout
                wrong = re.search(r"account sequence mismatch, expected (\d+)", said)
                if not wrong:
                    break
                sequence = int(wrong.group(1))  # the account query lagged a block behind the mempool
            if out.returncode != 0 or int(sent.get("code", 0)) != 0:
                why = _first_line(out.stderr + out.stdout) if out.returncode else str(sent.get("raw_log", ""))
                if outcome is None:
                    raise AssertionError(f"harness tx {args[:3]} refused: {why}")
                outcome.chain_refused, outcome.chain_log = True, why
                hashes.append(None)
                continue
            sequence += 1
            hashes.append(str(sent["txhash"]))
        results: list[dict[str, Any] | None] = []
        for (outcome, args), txhash in zip(items, hashes, strict=True):
            if txhash is None:
                results.append(None)
                continue
            result = self.chain.wait_for(lambda h=txhash: self._tx_result(h), f"tx {txhash}", 60)
            if int(result.get("code", 0)) != 0:
                if outcome is None:
                    raise AssertionError(f"harness tx {args[:3]} failed: {result.get('raw_log')}")
                outcome.chain_refused, outcome.chain_log = True, _first_line(str(result.get("raw_log", "")))
                results.append(None)
                continue
            results.append(result)
        return results

    def _tx_result(self, txhash: str) -> dict[str, Any] | None:
        answer = self.chain.http.get(f"{self.chain.rest_url}/cosmos/tx/v1beta1/txs/{txhash}")
        if answer.status_code != 200:
            return None
        response: dict[str, Any] = answer.json().get("tx_response") or {}
        return response or None

    def _probe_exec(self, outcomes: list[Outcome], results: list[dict[str, Any] | None]) -> None:
        """Compare the stored consumer with what the file meant."""
        for o, tx in zip(outcomes, results, strict=True):
            if tx is None:
                continue
            case = o.case
            consumer_id = str(case.body.get("consumer_id") or _attr(tx, "create_consumer", "consumer_id"))
            state = self.rest(f"{_PROVIDER}/consumer_chain/{consumer_id}")
            if case.probe == "owner":
                o.damaged = state["owner_address"] != case.expect["owner"]
            elif case.probe == "double_sign":
                stored = state["infraction_parameters"]["double_sign"]
                o.damaged = (
                    _ns(stored["jail_duration"]) != int(case.expect["jail_duration"])
                    or bool(stored.get("tombstone", False)) != bool(case.expect["tombstone"])
                )

    def _probe_launch(self, launching: list[tuple[Outcome, str]]) -> None:
        """After the spawn time: LAUNCHED as meant, or the fallback to REGISTERED (with the node's reason)."""
        log = self.chain.log_path.read_text(errors="replace")
        for o, consumer_id in launching:
            o.damaged = self._phase(consumer_id) != o.case.expect["phase"]
            if o.damaged:
                why = [ln for ln in log.splitlines() if "could not launch" in ln and f"consumerId={consumer_id} " in ln]
                o.chain_log = "launch failed: " + (why[0][:300] if why else "(no log line)")


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
    counts: Counter[str] = Counter(dict.fromkeys(CLASSES, 0))
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
        if (
            not line.startswith((" ", "\t"))
            and line.strip() not in ("Usage:", "Flags:", "Global Flags:")
            and not line.startswith("gas estimate")
        ):
            return line.strip()
    return text.strip()[:300]


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
