"""Class codes students type, and the secret keys that prove who is the teacher.

A class code is short and read aloud or copied from a projector, so its alphabet leaves out the
characters people confuse: `0/O`, `1/I/L` (codes are upper case, so a lower-case `l` becomes `L`,
which is left out too). 31 symbols over 6 places give 31⁶ ≈ 8.9·10⁸ codes, plenty for the classes
alive at once; a collision is simply drawn again by the store.

A teacher key is the opposite: long and random (`secrets.token_urlsafe`, 256 bits), never shown
to students. The database keeps only its SHA-256, and a key handed in is compared in constant time
(`hmac.compare_digest`) so response times do not leak how much of a guess was right.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from nnviz.classes.errors import ClassError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
KEY_BYTES = 32
_MAX_KEY_LENGTH = 200
_SEPARATORS = str.maketrans("", "", " -_\t")


def new_class_code() -> str:
    """A fresh random class code such as `"K7PQ3M"`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: object) -> str:
    """The class code in `text`, upper-cased with spaces and dashes removed.

    Raises:
        ClassError: `text` is not 6 characters from `ALPHABET`.
    """
    if not isinstance(text, str):
        raise ClassError("a class code is text, such as ABC234")
    code = text.translate(_SEPARATORS).upper()
    if not code:
        raise ClassError("type the class code your teacher shows (6 characters, such as ABC234)")
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        shown = " ".join(repr(c) for c in bad[:5])
        raise ClassError(
            f"{text.strip()[:20]!r} is not a class code: it contains {shown}; class codes use "
            "only the letters A–Z without I, L, O and the digits 2–9"
        )
    if len(code) != CODE_LENGTH:
        raise ClassError(
            f"{code[:20]!r} is not a class code: codes have {CODE_LENGTH} characters, "
            f"this has {len(code)}"
        )
    return code


def new_secret_key() -> str:
    """A new URL-safe random key (43 characters, 256 bits)."""
    return secrets.token_urlsafe(KEY_BYTES)


def hash_key(key: str) -> str:
    """The SHA-256 of a key, hex: what the database stores instead of the key itself."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_matches(given: object, stored_hash: str) -> bool:
    """Whether `given` is the key whose hash is `stored_hash`, compared in constant time."""
    if not isinstance(given, str) or not 0 < len(given) <= _MAX_KEY_LENGTH:
        return False
    return hmac.compare_digest(hash_key(given), stored_hash)
