"""WeChat's signatures and safe (AES) mode, from the Official Account developer docs ("接入指南", "消息加解密说明"):

- signature = sha1 of the sorted concatenation of token, timestamp and nonce; safe mode signs the Encrypt field too
  (msg_signature).
- Safe mode: AES-256-CBC, key = base64(EncodingAESKey + "="), IV = first 16 bytes of the key, PKCS#7 padding to 32
  bytes; the plaintext is 16 random bytes, the message length (4 bytes, big-endian), the message, then the AppID.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def is_aes_key(aes_key: str) -> bool:
    """The form of an EncodingAESKey: 43 characters of base64 for 32 bytes."""
    try:
        return len(aes_key) == 43 and len(base64.b64decode(aes_key + "=", validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


class Crypto:
    def __init__(self, token: str, aes_key: str, app_id: str):
        self.token = token
        self.key = base64.b64decode(aes_key + "=")
        if len(self.key) != 32:
            raise ValueError("WECHAT_AES_KEY must be the 43-character EncodingAESKey")
        self.app_id = app_id

    def decrypt(self, encrypted: str) -> str:
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= 32:
            raise ValueError("bad padding")
        plain = plain[:-pad]
        (length,) = struct.unpack(">I", plain[16:20])
        message, app_id = plain[20 : 20 + length], plain[20 + length :]
        if app_id.decode() != self.app_id:
            raise ValueError("message is for another AppID")
        return message.decode()

    def encrypt(self, message: str) -> str:
        raw = message.encode()
        plain = secrets.token_bytes(16) + struct.pack(">I", len(raw)) + raw + self.app_id.encode()
        pad = 32 - len(plain) % 32
        plain += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()
