// Independent check of ICS Workbench transactions with cosmjs (driven by tests/signing/test_tx_cosmjs.py).
// Reads {"cases": [...]} on stdin, prints {"results": [...]} on stdout. Every value is computed here by cosmjs
// from the raw bytes we produced; the Python test compares.
import {
  serializeSignDoc, Secp256k1Wallet, pubkeyToAddress, encodeSecp256k1Pubkey, createMultisigThresholdPubkey,
} from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64, fromHex, toHex } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { TxRaw, TxBody, AuthInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function decodeTx(txRawB64) {
  const raw = TxRaw.decode(fromBase64(txRawB64));
  const body = TxBody.decode(raw.bodyBytes);
  const authInfo = AuthInfo.decode(raw.authInfoBytes);
  const signer = authInfo.signerInfos[0];
  const pubkey = PubKey.decode(signer.publicKey.value).key;
  return {
    raw, body, authInfo, pubkey,
    summary: {
      type_urls: body.messages.map((m) => m.typeUrl),
      memo: body.memo,
      timeout_height: body.timeoutHeight.toString(),
      fee: authInfo.fee.amount.map((c) => `${c.amount}${c.denom}`),
      gas_limit: authInfo.fee.gasLimit.toString(),
      sequence: signer.sequence.toString(),
      mode: signer.modeInfo.single.mode,
      pubkey_type: signer.publicKey.typeUrl,
    },
  };
}

async function checkCase(c) {
  if (c.mode === "multisig_address") {
    const pubkeys = c.pubkeys_b64.map((k) => encodeSecp256k1Pubkey(fromBase64(k)));
    const multisig = createMultisigThresholdPubkey(pubkeys, c.threshold, true);
    return { address: pubkeyToAddress(multisig, c.prefix) };
  }
  const tx = decodeTx(c.tx_raw_b64);
  const signature = tx.raw.signatures[0];
  const address = pubkeyToAddress(encodeSecp256k1Pubkey(tx.pubkey), c.prefix);
  let signBytes;
  if (c.mode === "direct") {
    signBytes = makeSignBytes(makeSignDoc(tx.raw.bodyBytes, tx.raw.authInfoBytes, c.chain_id, BigInt(c.account_number)));
  } else {
    signBytes = serializeSignDoc(c.amino_sign_doc);
  }
  const valid = await Secp256k1.verifySignature(
    Secp256k1Signature.fromFixedLength(signature), sha256(signBytes), tx.pubkey);
  const out = { ...tx.summary, address, sign_bytes_b64: toBase64(signBytes), signature_valid: valid };
  if (c.private_key_hex) {
    if (c.mode === "direct") {
      const wallet = await DirectSecp256k1Wallet.fromKey(fromHex(c.private_key_hex), c.prefix);
      const signDoc = makeSignDoc(tx.raw.bodyBytes, tx.raw.authInfoBytes, c.chain_id, BigInt(c.account_number));
      const res = await wallet.signDirect(address, signDoc);
      out.cosmjs_signature_hex = toHex(fromBase64(res.signature.signature));
    } else {
      const wallet = await Secp256k1Wallet.fromKey(fromHex(c.private_key_hex), c.prefix);
      const res = await wallet.signAmino(address, c.amino_sign_doc);
      out.cosmjs_signature_hex = toHex(fromBase64(res.signature.signature));
    }
  }
  return out;
}

const input = JSON.parse(await readStdin());
const results = [];
for (const c of input.cases) {
  try {
    results.push(await checkCase(c));
  } catch (err) {
    results.push({ error: String(err && err.stack ? err.stack : err) });
  }
}
process.stdout.write(JSON.stringify({ results }));
