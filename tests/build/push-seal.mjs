// Seals a payload with the app's RFC 8291 encryptor (web/static/js/push/ece.js) on fixed keys
// and salt, for tests/build/test_push_seal.py to open with Python's http_ece.
// Input (argv[2], JSON): {payload, p256dh, auth, salt} as base64url, sender (a private JWK),
// padTo. Output: the message body as base64url.
import { seal, fromBase64Url, toBase64Url } from "../../web/static/js/push/ece.js";

const input = JSON.parse(process.argv[2]);
const P256 = { name: "ECDH", namedCurve: "P-256" };
const { d, ...publicJwk } = input.sender;
const senderKeys = {
  privateKey: await crypto.subtle.importKey("jwk", input.sender, P256, false, ["deriveBits"]),
  publicKey: await crypto.subtle.importKey("jwk", publicJwk, P256, true, []),
};
const body = await seal(fromBase64Url(input.payload), {
  p256dh: fromBase64Url(input.p256dh), auth: fromBase64Url(input.auth),
}, { salt: fromBase64Url(input.salt), senderKeys, padTo: input.padTo ?? 0 });
process.stdout.write(toBase64Url(body));
