"""``ics-workbench tx ...``: the offline (air-gapped) signing round trip and broadcasting.

Online machine:  ``tx request`` (from gaiad --generate-only JSON) -> file -> air gap (USB or ``tx qr-export``)
Air-gapped:      ``ics-workbench --offline tx sign FILE --key NAME`` (review, confirm, sign with a keyring key)
Online machine:  ``tx verify FILE --request REQ`` -> ``tx broadcast FILE --rest URL`` (tracks until included)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ics_workbench.cli import InputError
from ics_workbench.fileio import read_input, read_json_input
from ics_workbench.untrusted_text import visible


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("tx", help="offline signing files: request, sign, verify, broadcast, QR")
    sub = parser.add_subparsers(dest="tx_command", metavar="ACTION", required=True)
    _add_request(sub)
    _add_review_and_sign(sub)
    _add_online(sub)
    _add_air_gap(sub)


def _add_request(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``tx request``: a signing request from gaiad --generate-only JSON (single key or multisig)."""
    request = sub.add_parser("request", help="make a signing request from gaiad --generate-only JSON")
    request.add_argument("unsigned", type=Path, help="gaiad tx ... --generate-only output")
    request.add_argument("--key", help="key or watch-only account (with pubkey) that will sign")
    request.add_argument("--multisig-threshold", type=int, help="sign as a legacy multisig with this threshold")
    request.add_argument("--multisig-pubkey", action="append", default=[],
                         help="base64 public key of a multisig member, in the multisig's order (repeat)")
    request.add_argument("--prefix", default="cosmos", help="bech32 prefix of the multisig address")
    request.add_argument("--sign-mode", choices=("direct", "amino-json"), default="direct")
    request.add_argument("--chain-id", required=True)
    request.add_argument("--rest", help="REST URL to read account number and sequence (and the pubkey if needed)")
    request.add_argument("--account-number", type=int)
    request.add_argument("--sequence", type=int)
    request.add_argument("--ics-version", help="provider ICS version, when a message layout depends on it")
    request.add_argument("-o", "--output", type=Path, required=True)
    request.set_defaults(handler=_request)


def _add_review_and_sign(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``tx show``, ``sign``, ``combine`` and ``verify``: the offline machine's steps."""
    show = sub.add_parser("show", help="print the review of a signing file (decoded from its bytes)")
    show.add_argument("file", type=Path)
    show.set_defaults(handler=_show)

    sign = sub.add_parser("sign", help="review and sign a request with a keyring key (works with --offline)")
    sign.add_argument("file", type=Path)
    sign.add_argument("--key", required=True)
    sign.add_argument("-o", "--output", type=Path, help="signed file (default: FILE with .signed.json)")
    sign.add_argument("--chain-id", help="refuse unless the file is for this chain id")
    sign.add_argument("--account-number", type=int, help="refuse unless the file has this account number")
    sign.add_argument("--yes", action="store_true", help="sign without the interactive confirmation")
    sign.set_defaults(handler=_sign)

    combine = sub.add_parser("combine", help="combine multisig partial signatures (threshold checked)")
    combine.add_argument("files", type=Path, nargs="+", help="copies of one request signed by different members")
    combine.add_argument("-o", "--output", type=Path, required=True)
    combine.set_defaults(handler=_combine)

    verify = sub.add_parser("verify", help="verify every signature (and the match with the exported request)")
    verify.add_argument("file", type=Path)
    verify.add_argument("--request", type=Path, help="the unsigned request file that was exported")
    verify.set_defaults(handler=_verify)


def _add_online(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``tx broadcast`` and ``export-gaiad``: handing the signed transaction to a chain or to gaiad."""
    broadcast = sub.add_parser("broadcast", help="verify, broadcast (sync) and track until included")
    broadcast.add_argument("file", type=Path)
    broadcast.add_argument("--rest", required=True)
    broadcast.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for inclusion")
    broadcast.set_defaults(handler=_broadcast)

    export = sub.add_parser("export-gaiad", help="write the plain gaiad JSON (signed if the file is signed)")
    export.add_argument("file", type=Path)
    export.add_argument("-o", "--output", type=Path, required=True)
    export.set_defaults(handler=_export_gaiad)


def _add_air_gap(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``tx qr-export``/``qr-import`` and ``ur-export``/``ur-import``: crossing the air gap by QR or UR."""
    qr_out = sub.add_parser("qr-export", help="write a signing file as numbered QR frame PNGs")
    qr_out.add_argument("file", type=Path)
    qr_out.add_argument("directory", type=Path)
    qr_out.set_defaults(handler=_qr_export)

    qr_in = sub.add_parser("qr-import", help="rebuild a signing file from QR frame images (any order)")
    qr_in.add_argument("images", type=Path, nargs="+")
    qr_in.add_argument("-o", "--output", type=Path, required=True)
    qr_in.set_defaults(handler=_qr_import)

    ur_out = sub.add_parser("ur-export", help="write a request as a Keystone/Keplr cosmos-sign-request (UR text "
                                              "and animated QR frames)")
    ur_out.add_argument("file", type=Path)
    ur_out.add_argument("directory", type=Path)
    ur_out.add_argument("--xfp", help="the device's master key fingerprint (8 hex digits; Keystone shows it)")
    ur_out.add_argument("--hd-path", default=None, help="derivation path of the signing key (default: the key's "
                                                         "own, else m/44'/118'/0'/0/0)")
    ur_out.set_defaults(handler=_ur_export)

    ur_in = sub.add_parser("ur-import", help="attach a device's cosmos-signature (UR text files or QR images) to "
                                             "the request it answers")
    ur_in.add_argument("file", type=Path, help="the request that was exported with ur-export")
    ur_in.add_argument("inputs", type=Path, nargs="+", help=".txt files with ur: lines, or QR images")
    ur_in.add_argument("-o", "--output", type=Path, required=True)
    ur_in.set_defaults(handler=_ur_import)


def _load(path: Path):  # type: ignore[no-untyped-def]
    """A signing file; anything that makes it unusable is an input error (exit 2) naming the file."""
    from ics_workbench.signing.offline_file import OfflineFileError, load

    try:
        return load(path)
    except OfflineFileError as exc:
        raise InputError(f"{visible(path)}: {exc}") from None


def _request(args: argparse.Namespace) -> int:
    import base64
    import binascii

    from ics_workbench.signing.keystore import KeyStore
    from ics_workbench.signing.multisig import multisig_address
    from ics_workbench.signing.offline_file import request_from_gaiad_json
    from ics_workbench.signing.tx import MultisigSpec, SignerSpec, SignMode

    unsigned = read_json_input(args.unsigned)
    spec = None
    pubkey = None
    if args.multisig_threshold is not None:
        if args.key:
            raise InputError("give either --key or --multisig-threshold with --multisig-pubkey, not both")
        try:
            members = tuple(base64.b64decode(k, validate=True) for k in args.multisig_pubkey)
        except binascii.Error:
            raise InputError("a --multisig-pubkey is not valid base64") from None
        spec = MultisigSpec(args.multisig_threshold, members)
        address = multisig_address(spec, args.prefix)
    elif args.key:
        record = KeyStore().get(args.key)
        address, pubkey = record.address, record.public_key_bytes
    else:
        raise InputError("give --key NAME, or --multisig-threshold N with --multisig-pubkey KEY (repeated)")
    if args.rest:
        from ics_workbench.signing.broadcast import Broadcaster

        with Broadcaster(args.rest) as client:
            account = client.account(address)
        account_number, sequence = account.account_number, account.sequence
        if pubkey is None and spec is None and account.pubkey:
            pubkey = base64.b64decode(account.pubkey)
    elif args.account_number is None or args.sequence is None:
        raise InputError("give --rest URL, or both --account-number and --sequence")
    else:
        account_number, sequence = args.account_number, args.sequence
    if spec is not None:
        signer = SignerSpec(multisig=spec, sequence=sequence)
    elif pubkey is None:
        raise InputError(
            f"the public key of {address} is unknown (watch-only without --pubkey, and the chain has none yet): "
            "add the watch-only account with --pubkey"
        )
    else:
        mode = SignMode.DIRECT if args.sign_mode == "direct" else SignMode.LEGACY_AMINO_JSON
        signer = SignerSpec(public_key=pubkey, sequence=sequence, mode=mode)
    result = request_from_gaiad_json(unsigned, signer=signer, address=address, chain_id=args.chain_id,
                                     account_number=account_number, ics_version=args.ics_version)
    result.save(args.output)
    print(result.review_text())
    print(f"\nunsigned request written to {args.output}")
    return 0


def _show(args: argparse.Namespace) -> int:
    print(_load(args.file).review_text())
    return 0


def _sign(args: argparse.Namespace) -> int:
    from ics_workbench.signing.keystore import KeyStore
    from ics_workbench.signing.offline_file import check_for_key, sign

    request = _load(args.file)
    if args.chain_id is not None and request.chain_id != args.chain_id:
        raise InputError(f"wrong chain id: the file is for {request.chain_id!r}, you expect {args.chain_id!r}")
    if args.account_number is not None and request.account_number != args.account_number:
        raise InputError(
            f"wrong account number: the file says {request.account_number}, you expect {args.account_number}"
        )
    signer = KeyStore().signer(args.key)
    check_for_key(request, signer.record.address, signer.public_key(), args.key)
    print(request.review_text())
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError("refusing to sign without confirmation: review the above and pass --yes")
        answer = input("\nSign this transaction? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("not signed")
            return 1
    signed = sign(request, signer)
    output = args.output or args.file.with_name(args.file.name.removesuffix(".json") + ".signed.json")
    signed.save(output)
    print(f"\n{signed.state.replace('_', ' ')}; sign bytes SHA-256 {signed.sign_bytes_sha256()}; written to {output}")
    return 0


def _combine(args: argparse.Namespace) -> int:
    from ics_workbench.signing.offline_file import combine, merge_partials, verify

    merged = _load(args.files[0])
    for path in args.files[1:]:
        merged = merge_partials(merged, _load(path))
    combined = combine(merged)
    for finding in verify(combined):
        print(finding)
    combined.save(args.output)
    print(f"combined signed transaction written to {args.output}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from ics_workbench.signing.offline_file import verify

    signed = _load(args.file)
    request = _load(args.request) if args.request else None
    for finding in verify(signed, request):
        print(finding)
    print(f"state: {signed.state}; sign bytes SHA-256 {signed.sign_bytes_sha256()}")
    return 0


def _broadcast(args: argparse.Namespace) -> int:
    from ics_workbench.signing.broadcast import Broadcaster, tx_hash
    from ics_workbench.signing.offline_file import check_for_chain, mark_broadcast, verify

    signed = _load(args.file)
    if signed.state == "broadcast":
        raise InputError(f"{args.file} was already broadcast as {signed.broadcast}")
    if signed.tx_bytes is None:
        raise InputError(
            f"{args.file} is {signed.state.replace('_', ' ')}: sign (and for a multisig, combine) it first"
        )
    verify(signed)
    with Broadcaster(args.rest, inclusion_timeout=args.timeout) as client:
        chain_id = client.chain_id()
        account = client.account(signed.address)
        check_for_chain(signed, chain_id=chain_id, account_number=account.account_number, sequence=account.sequence)
        print(f"broadcasting {tx_hash(signed.tx_bytes)} to {args.rest} ({chain_id}) ...")
        result = client.broadcast(signed.tx_bytes, signed.to_json())
    mark_broadcast(signed, txhash=result.txhash, height=result.height, code=result.code, rest_url=args.rest).save(
        args.file
    )
    print(result.summary())
    print(f"code {result.code} codespace {result.codespace or '-'} height {result.height} "
          f"gas used {result.gas_used} hash {result.txhash} raw log {result.raw_log or '-'}")
    return 0 if result.ok or not result.result_known else 1


def _export_gaiad(args: argparse.Namespace) -> int:
    from ics_workbench.fileio import write_json_atomic

    signing = _load(args.file)
    write_json_atomic(args.output, signing.gaiad_json())
    print(f"{'signed' if signing.tx_bytes else 'unsigned'} gaiad JSON written to {args.output}")
    return 0


def _qr_export(args: argparse.Namespace) -> int:
    from ics_workbench.fileio import write_bytes_atomic
    from ics_workbench.signing.qr import frame_png, split_payload

    _load(args.file)  # only valid files go over the air gap
    frames = split_payload(read_input(args.file))
    for frame in frames:
        write_bytes_atomic(args.directory / f"frame-{frame.index:03d}-of-{frame.count:03d}.png", frame_png(frame))
    print(f"{len(frames)} QR frames written to {args.directory}")
    return 0


def _qr_import(args: argparse.Namespace) -> int:
    from ics_workbench.fileio import parse_json_input, write_bytes_atomic
    from ics_workbench.signing.offline_file import OfflineFileError, parse_document
    from ics_workbench.signing.qr import QrAssembler, QrError, decode_png_frames
    from ics_workbench.signing.qr_limits import MAX_IMAGE_FILE_BYTES, QrLimitError, open_frame_image

    images = [read_input(path, max_bytes=MAX_IMAGE_FILE_BYTES) for path in args.images]
    assembler = QrAssembler()
    try:
        for path, data in zip(args.images, images, strict=True):
            open_frame_image(data, str(path))  # each file's limits first, so an error names the file
        for text in decode_png_frames(images):
            assembler.add(text)
        payload = assembler.payload()
        parsed = parse_document(parse_json_input(payload, "the QR payload"))
    except (QrError, QrLimitError, OfflineFileError) as exc:
        raise InputError(str(exc)) from None
    write_bytes_atomic(args.output, payload)
    print(f"{parsed.state} signing file rebuilt from {assembler.progress[1]} QR frames into {args.output}")
    return 0


def _ur_export(args: argparse.Namespace) -> int:
    from ics_workbench.fileio import write_bytes_atomic
    from ics_workbench.signing.hdpath import DEFAULT_HD_PATH
    from ics_workbench.signing.qr import qr_png
    from ics_workbench.signing.ur import codec, keystone

    signing = _load(args.file)
    ur = keystone.sign_request(signing, hd_path=args.hd_path or DEFAULT_HD_PATH, xfp=args.xfp)
    encoder = codec.UREncoder(ur)
    parts = encoder.parts()
    write_bytes_atomic(args.directory / "request.ur.txt", ("\n".join(parts) + "\n").encode())
    for number, text in enumerate(parts, 1):
        # upper case: QR alphanumeric mode, a third smaller than byte mode; UR readers accept either case
        write_bytes_atomic(args.directory / f"ur-{number:03d}-of-{len(parts):03d}.png", qr_png(text.upper()))
    print(signing.review_text())
    print(f"sign bytes SHA-256 {signing.sign_bytes_sha256()} (compare with the device's screen)")
    print(f"cosmos-sign-request: {encoder.fountain.seq_len} fragment(s), {len(parts)} QR frames and their UR text "
          f"written to {args.directory}")
    return 0


def _ur_texts(paths: list[Path]) -> list[str]:
    from ics_workbench.signing.qr import decode_png_frames

    texts: list[str] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
        if data[:3].lower() == b"ur:" or path.suffix.lower() == ".txt":
            texts += [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
        else:
            texts += decode_png_frames([data])
    return texts


def _ur_import(args: argparse.Namespace) -> int:
    from ics_workbench.signing.offline_file import verify
    from ics_workbench.signing.ur import codec, keystone

    request = _load(args.file)
    answer = codec.decode(_ur_texts(args.inputs), expected_type=keystone.SIGNATURE)
    signed = keystone.attach_signature(request, answer)
    for finding in verify(signed, request):
        print(finding)
    signed.save(args.output)
    print(f"{signed.state} signing file written to {args.output}")
    return 0
