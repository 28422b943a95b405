"""Prints an HS256 bearer token that bench/cpu/compare.sh's services trust: `delegated` (user u1) or `app` (app-only)."""
import base64, hashlib, hmac, json, sys, time

KEY = b"k" * 32  # compare.sh passes base64 of the same 32 bytes as the services' signing key


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


now = int(time.time())
claims = {"iss": "https://login.bench.test/", "aud": "https://graph.bench.test", "nbf": now - 60, "exp": now + 3 * 3600, "iat": now}
if sys.argv[1] == "delegated":
    claims.update({"oid": "u1", "sub": "p-u1", "azp": "app1", "scp": "Notifications.ReadWrite.CreatedByApp"})
else:
    claims.update({"oid": "sp-app1", "sub": "sp-app1", "appid": "app1", "roles": ["Notifications.ReadWrite.CreatedByApp"]})
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
body = b64(json.dumps(claims).encode())
print(f"{head}.{body}.{b64(hmac.new(KEY, f'{head}.{body}'.encode(), hashlib.sha256).digest())}")
