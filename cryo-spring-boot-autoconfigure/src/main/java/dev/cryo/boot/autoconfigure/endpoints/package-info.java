/**
 * Auto-configuration of the endpoint layer ({@code cryo-endpoint}): yoctopus's plugins and
 * endpoints over Cryo sessions and yoctopus's plain-WebSocket wire.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.endpoints;

import org.jspecify.annotations.NullMarked;
