"""A stand-in for the Microsoft identity platform (AAD) on 127.0.0.1, over TLS, for tests.

The bot asks the identity platform for a token before each reply it sends to the channel
(client credentials: its app id and password, scope `https://api.botframework.com/.default`).
MSAL, which botbuilder uses for this, refuses plain http authorities, so this server speaks
TLS with a certificate from a throwaway certificate authority made for the test run
(`TestAuthority`). The bot trusts that authority through `SSL_CERT_FILE` (OpenSSL, and so
aiohttp and the `ssl` module) and `REQUESTS_CA_BUNDLE` (requests, which MSAL uses).

The server answers what MSAL asks of an authority, for any tenant segment in the path:
OpenID discovery (`/{tenant}[/v2.0]/.well-known/openid-configuration`) and the token
endpoint (`/{tenant}/oauth2/v2.0/token`, also the v1 `/{tenant}/oauth2/token`). It records every
token request and can be told to fail (wrong secret, 503) or to hang.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TOKEN_LIFETIME = 3600


class TestAuthority:
    """A certificate authority made for one test run, and a server certificate for 127.0.0.1.

    Made with `cryptography` (already a dependency of MSAL and PyJWT) rather than `trustme`,
    so the suite needs no extra package for it."""

    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, directory: Path) -> None:
        now = datetime.datetime.now(datetime.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hallway test CA")])
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            # Python's ssl checks the IP address against the subjectAltName, never the CN.
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        self.ca_path = directory / "test-ca.pem"
        self.ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
        self._cert_path = directory / "server.pem"
        self._cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self._key_path = directory / "server.key"
        self._key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self._cert_path, self._key_path)
        return context

    def trust_environment(self) -> dict[str, str]:
        """Environment variables that make a Python process trust this authority (and only it)."""
        return {"SSL_CERT_FILE": str(self.ca_path), "REQUESTS_CA_BUNDLE": str(self.ca_path)}


@dataclass
class TokenRequest:
    tenant: str
    form: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class LoginServer:
    """The identity platform's discovery and token endpoints, served over TLS on 127.0.0.1.

    `secret` is the only client secret accepted (others get AADSTS7000215, as AAD answers);
    `failure` makes every token request fail: "unavailable" (503) or "hang" (never answers)."""

    def __init__(self, authority: TestAuthority, *, client_id: str, secret: str) -> None:
        self._authority = authority
        self.client_id = client_id
        self.secret = secret
        self.failure: str | None = None
        self.token_requests: list[TokenRequest] = []
        self.discoveries = 0
        self.issued: list[str] = []
        self._signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server: TestServer | None = None
        self._hanging = asyncio.Event()

    @property
    def url(self) -> str:
        assert self._server is not None, "login server not started"
        return str(self._server.make_url("")).rstrip("/")

    def login_url(self, tenant: str) -> str:
        """The value of `TO_CHANNEL_FROM_BOT_LOGIN_URL` (botbuilder's authority) for `tenant`."""
        return f"{self.url}/{tenant}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._discovery)
        app.router.add_get("/{tenant}/.well-known/openid-configuration", self._discovery)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_post("/{tenant}/oauth2/token", self._token)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server(ssl=self._authority.server_context())

    def release(self) -> None:
        """Answer the token requests the "hang" failure is holding (and stop holding them)."""
        self.failure = None
        self._hanging.set()

    async def close(self) -> None:
        self.release()
        if self._server is not None:
            await self._server.close()

    async def _discovery(self, request: web.Request) -> web.Response:
        self.discoveries += 1
        tenant = request.match_info["tenant"]
        base = f"{self.url}/{tenant}"
        return web.json_response(
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "response_types_supported": ["code", "id_token", "token"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        tenant = request.match_info["tenant"]
        self.token_requests.append(TokenRequest(tenant, form))
        if self.failure == "hang":
            await self._hanging.wait()
        if self.failure == "unavailable":
            return web.json_response(
                {"error": "temporarily_unavailable", "error_description": "AADSTS90033: test"},
                status=503,
            )
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "AADSTS70003: not supported")
        if form.get("client_id") != self.client_id:
            return _oauth_error(400, "unauthorized_client", "AADSTS700016: unknown application")
        if form.get("client_secret") != self.secret:
            return _oauth_error(401, "invalid_client", "AADSTS7000215: Invalid client secret")
        scope = form.get("scope", "")
        resource = scope.split()[0].removesuffix("/.default") if scope else ""
        now = int(time.time())
        token = jwt.encode(
            {
                "aud": resource,
                "iss": f"https://sts.windows.net/{tenant}/",
                "appid": self.client_id,
                "tid": tenant,
                "iat": now,
                "nbf": now,
                "exp": now + TOKEN_LIFETIME,
                "jti": str(uuid.uuid4()),
            },
            self._signing_key,
            algorithm="RS256",
        )
        self.issued.append(token)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "ext_expires_in": TOKEN_LIFETIME,
                "access_token": token,
            }
        )


def _oauth_error(status: int, error: str, description: str) -> web.Response:
    return web.json_response(
        {"error": error, "error_description": description, "error_codes": [7000215]},
        status=status,
    )
