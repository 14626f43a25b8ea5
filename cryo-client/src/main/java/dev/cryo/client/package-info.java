/**
 * The Java Cryo client on the JDK's {@code java.net.http} WebSocket.
 */
@NullMarked
package dev.cryo.client;

import org.jspecify.annotations.NullMarked;
