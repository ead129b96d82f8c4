"""Builds the chain catalogue shipped inside the package (ics_workbench/chain/data/chain_catalogue.json) from the
`chain-registry` npm package pinned in packaging/catalogue/package.json. BUILD time only: the app never downloads
chain data; it reads this file (ics_workbench/chain/catalogue.py).

    python packaging/catalogue/build_catalogue.py            # npm ci (if needed), then write the catalogue
    python packaging/catalogue/build_catalogue.py --check    # exit 1 if the committed file is stale

Every Cosmos SDK chain of the registry (mainnets and testnets) is kept, trimmed to what a connection profile needs;
the ICS provider and consumer chains and their testnets are marked (the registry has no such field, so the list is
here, reviewed by hand) and listed first. The output is deterministic (sorted, no timestamps), so --check can
compare it with the committed file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parents[1] / "ics_workbench" / "chain" / "data" / "chain_catalogue.json"
MAX_ENDPOINTS = 8  # per kind: enough to fail over, small enough to ship

# chain-registry name -> (ICS role, provider's chain-registry name)
ICS = {
    "cosmoshub": ("provider", None),
    "cosmoshubtestnet": ("provider", None),
    "cosmosicsprovidertestnet": ("provider", None),
    "neutron": ("consumer", "cosmoshub"),
    "stride": ("consumer", "cosmoshub"),
    "neutrontestnet": ("consumer", "cosmosicsprovidertestnet"),
    "stridetestnet": ("consumer", "cosmosicsprovidertestnet"),
    "elystestnet": ("consumer", "cosmosicsprovidertestnet"),
}


def _registry() -> dict[str, Any]:
    if not (HERE / "node_modules" / "chain-registry").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)
    out = subprocess.run(["node", "dump.mjs"], cwd=HERE, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _endpoints(chain: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    result = []
    for item in (chain.get("apis") or {}).get(kind) or []:
        address = item.get("address") if isinstance(item, dict) else None
        if isinstance(address, str) and address.startswith(("http://", "https://")):
            result.append({"url": address.rstrip("/"), "archive": bool(item.get("archive", False)),
                           "provider": str(item.get("provider") or "")})
    return result[:MAX_ENDPOINTS]


def _fee_tokens(chain: dict[str, Any]) -> list[dict[str, Any]]:
    tokens = []
    for token in (chain.get("fees") or {}).get("feeTokens") or []:
        if isinstance(token, dict) and token.get("denom"):
            tokens.append({"denom": token["denom"],
                           **{key: str(token[src]) for key, src in (("fixed_min_gas_price", "fixedMinGasPrice"),
                                                                    ("low_gas_price", "lowGasPrice"),
                                                                    ("average_gas_price", "averageGasPrice"),
                                                                    ("high_gas_price", "highGasPrice"))
                              if isinstance(token.get(src), int | float)}})
    return tokens


def build(registry: dict[str, Any]) -> dict[str, Any]:
    entries = []
    names = {c.get("chainName") for c in registry["chains"]}
    missing = sorted(set(ICS) - names)
    if missing:
        raise SystemExit(f"chain-registry {registry['version']} no longer has the ICS chains {missing}; "
                         "update ICS in build_catalogue.py")
    for chain in registry["chains"]:
        if chain.get("chainType") != "cosmos" or not chain.get("chainId") or not chain.get("bech32Prefix") \
                or chain.get("status") == "killed":
            continue
        rpc = _endpoints(chain, "rpc")
        if not rpc:
            continue
        role, provider = ICS.get(chain["chainName"], (None, None))
        config = chain.get("bech32Config") or {}
        entries.append({
            "name": chain["chainName"],
            "pretty_name": chain.get("prettyName") or chain["chainName"],
            "chain_id": chain["chainId"],
            "network": chain.get("networkType") or "",
            "status": chain.get("status") or "",
            "ics": role,
            "provider": provider,
            "bech32_prefix": chain["bech32Prefix"],
            "valoper_prefix": config.get("bech32PrefixValAddr") or "",
            "valcons_prefix": config.get("bech32PrefixConsAddr") or "",
            "slip44": chain.get("slip44"),
            "fee_tokens": _fee_tokens(chain),
            "staking_denoms": [t["denom"] for t in (chain.get("staking") or {}).get("stakingTokens") or []
                               if isinstance(t, dict) and t.get("denom")],
            "rpc": rpc,
            "rest": _endpoints(chain, "rest"),
        })
    entries.sort(key=lambda e: (e["ics"] is None, e["network"] != "mainnet", e["name"]))
    return {"format": "ics-workbench/chain-catalogue", "version": 1,
            "source": f"chain-registry@{registry['version']} (npm)", "chains": entries}


def render(catalogue: dict[str, Any]) -> str:
    return json.dumps(catalogue, indent=0, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render(build(_registry()))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} is stale: run python packaging/catalogue/build_catalogue.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"{len(json.loads(text)['chains'])} chains written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
