/**
 * CALE, the optional encryption layer of the legacy generation (legacy-v0.md §7, §10.3, §10.4),
 * as pure cryptography with no knowledge of sessions, frames or the engine: a fresh P-256
 * {@link dev.cryo.core.dialect.legacy.cale.CaleKeyPair} per session, the strict decoding of the
 * peer's {@link dev.cryo.core.dialect.legacy.cale.CalePublicKey}, the key derivation of
 * {@link dev.cryo.core.dialect.legacy.cale.CaleKeys} (ECDH, SHA-256, one half per direction)
 * and the AES-128-GCM message format of {@link dev.cryo.core.dialect.legacy.cale.CaleCipher},
 * including our server's rule never to emit a message whose byte 20 a client would take for a
 * plaintext type.
 *
 * <p>JDK crypto only. Nothing here logs, and no exception message or {@code toString} carries
 * key material.
 */
@NullMarked
package dev.cryo.core.dialect.legacy.cale;

import org.jspecify.annotations.NullMarked;
