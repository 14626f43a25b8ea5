/**
 * The legacy generation of Cryo ("v0", legacy-v0.md), spoken by the published cryo-client-node
 * 1.0.x, cryo-client-browser 1.0.x and cryo-client 2.x: {@link dev.cryo.core.dialect.legacy.LegacyCodec}
 * reads and writes its frames (a UUID sid, ack before type in a 21-byte header) and the bytes of
 * its CALE handshake frames, which are no part of the frame model.
 */
@NullMarked
package dev.cryo.core.dialect.legacy;

import org.jspecify.annotations.NullMarked;
