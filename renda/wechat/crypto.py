"""The WeChat message protocol's signatures and its AES mode (the "safe" and "compatible" modes of the admin).

Written from WeChat's published description, not from an SDK: the SDKs pull in an HTTP stack and more at runtime,
and this is fifty lines. The tests check it against wechatpy, an independent implementation.

- signature: sha1 of the sorted strings (token, timestamp, nonce[, encrypt]) joined without separator.
- encryption: AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padding to
  32-byte blocks; plaintext = 16 random bytes + 4-byte big-endian length + message + AppID.
"""

import base64
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(ValueError):
    """The encrypted payload is malformed, or it was made for another account."""


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(expected: str, *parts: str) -> bool:
    # Bytes, not str: compare_digest refuses non-ASCII str, and a hostile query must give 403, not 500.
    return hmac.compare_digest(signature(*parts).encode(), (expected or "").lower().encode())


def _key(encoding_aes_key: str) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def encrypt(text: str, encoding_aes_key: str, appid: str) -> str:
    body = text.encode()
    plain = os.urandom(16) + struct.pack(">I", len(body)) + body + appid.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    key = _key(encoding_aes_key)
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(encrypted: str, encoding_aes_key: str, appid: str) -> str:
    try:
        data = base64.b64decode(encrypted, validate=True)
    except ValueError:
        raise CryptoError("not base64") from None
    if not data or len(data) % 16:
        raise CryptoError("bad length")
    key = _key(encoding_aes_key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise CryptoError("bad padding")
    plain = plain[:-pad]
    if len(plain) < 20:
        raise CryptoError("too short")
    (length,) = struct.unpack(">I", plain[16:20])
    body, sender = plain[20 : 20 + length], plain[20 + length :]
    if len(body) != length or not hmac.compare_digest(sender, appid.encode()):
        raise CryptoError("made for another AppID")
    try:
        return body.decode()
    except UnicodeDecodeError:
        raise CryptoError("not UTF-8") from None
