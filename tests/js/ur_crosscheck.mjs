// Independent check of the app's Blockchain Commons UR (driven by tests/signing/test_ur_js.py) with the npm
// reference packages: @ngraveio/bc-ur (bytewords, fountain code, UR text) and @keystonehq/bc-ur-registry-cosmos
// (Keystone's cosmos-sign-request / cosmos-signature). Reads {"requests": [...], "signatures": [...],
// "fountains": [...]} on stdin, prints what the packages decoded or encoded on stdout.
import { UR, UREncoder, URDecoder } from "@ngraveio/bc-ur";
import { CosmosSignRequest, CosmosSignature } from "@keystonehq/bc-ur-registry-cosmos";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

// App-made parts (in the order given, some pure ones dropped by the test) -> the request's fields.
function decodeRequest(parts) {
  const decoder = new URDecoder();
  let used = 0;
  for (const part of parts) {
    if (decoder.isComplete()) break;
    decoder.receivePart(part);
    used += 1;
  }
  if (!decoder.isSuccess()) throw new Error("the reference decoder did not complete: " + decoder.resultError());
  const ur = decoder.resultUR();
  const request = CosmosSignRequest.fromCBOR(ur.cbor);
  const paths = request.derivationPaths.map((p) => ({
    path: p.getPath(), xfp: p.getSourceFingerprint() ? p.getSourceFingerprint().toString("hex") : null,
  }));
  return {
    type: ur.type, used, request_id: request.getRequestId().toString("hex"),
    sign_data: request.getSignData().toString("hex"), data_type: request.getDataype(), paths,
    addresses: request.getAddress() ?? null, origin: request.getOrigin() ?? null,
  };
}

// The device's side: a cosmos-signature encoded by the reference packages, single part and animated.
function encodeSignature(sig) {
  const item = new CosmosSignature(Buffer.from(sig.signature, "hex"), Buffer.from(sig.request_id, "hex"),
    sig.public_key ? Buffer.from(sig.public_key, "hex") : undefined);
  const ur = item.toUR();
  const single = new UREncoder(ur, 400).nextPart();
  const animated = new UREncoder(ur, sig.max_fragment ?? 20);
  const parts = [];
  for (let i = 0; i < (sig.parts ?? 3 * animated.fragmentsLength); i++) parts.push(animated.nextPart());
  return { single, parts, fragments: animated.fragmentsLength };
}

// Fountain parity: the reference encoder's parts (pure and mixed) for a message the app must decode, and the
// fragment choice of the reference for a few part numbers.
function fountain(f) {
  const encoder = new UREncoder(new UR(Buffer.from(f.message_hex, "hex"), f.type), f.max_fragment);
  const parts = [];
  for (let i = 0; i < f.parts; i++) parts.push(encoder.nextPart());
  return { parts };
}

const input = await readStdin();
const out = { requests: [], signatures: [], fountains: [] };
for (const r of input.requests ?? []) {
  try { out.requests.push(decodeRequest(r.parts)); } catch (e) { out.requests.push({ error: String(e.stack || e) }); }
}
for (const s of input.signatures ?? []) {
  try { out.signatures.push(encodeSignature(s)); } catch (e) { out.signatures.push({ error: String(e.stack || e) }); }
}
for (const f of input.fountains ?? []) {
  try { out.fountains.push(fountain(f)); } catch (e) { out.fountains.push({ error: String(e.stack || e) }); }
}
process.stdout.write(JSON.stringify(out));
