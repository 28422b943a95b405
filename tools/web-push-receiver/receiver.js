// The test push service's user agent: keys made as a browser makes them for PushManager.subscribe (an ECDH P-256
// key pair and 16 random bytes, RFC 8291 §2), and the payloads decrypted with http_ece, an implementation the
// service does not use. One JSON request per line on stdin, one JSON answer per line on stdout:
//   {"op":"keys"}                              -> {"id":1,"p256dh":"<base64url>","auth":"<base64url>"}
//   {"op":"decrypt","id":1,"body":"<base64>"}  -> {"ok":true,"text":"<plaintext>"} or {"ok":false,"error":"…"}
'use strict';
const crypto = require('crypto');
const readline = require('readline');
const ece = require('http_ece');

const agents = new Map();

function handle(request) {
  if (request.op === 'keys') {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    const id = agents.size + 1;
    agents.set(id, { ecdh, auth });
    return { id, p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
  }
  if (request.op === 'decrypt') {
    const agent = agents.get(request.id);
    if (!agent) {
      return { ok: false, error: 'no such user agent' };
    }
    try {
      const text = ece.decrypt(Buffer.from(request.body, 'base64'), {
        version: 'aes128gcm',
        privateKey: agent.ecdh,
        authSecret: agent.auth.toString('base64url'),
      }).toString('utf8');
      return { ok: true, text };
    } catch (error) {
      return { ok: false, error: String(error && error.message || error) };
    }
  }
  return { ok: false, error: 'unknown op' };
}

readline.createInterface({ input: process.stdin }).on('line', line => {
  let answer;
  try {
    answer = handle(JSON.parse(line));
  } catch (error) {
    answer = { ok: false, error: String(error) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
