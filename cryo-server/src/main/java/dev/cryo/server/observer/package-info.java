/**
 * The server's observer SPI: what metrics need to know about sessions opening and closing,
 * refused upgrades ({@link dev.cryo.server.observer.UpgradeRefusal}) and, through
 * {@link dev.cryo.core.engine.SessionObserver}, the traffic of every session. Free of any
 * metrics library; the Micrometer binding lives in the Boot auto-configuration.
 *
 * <p>May depend on the API ({@code dev.cryo.server}) and cryo-core only.
 */
@NullMarked
package dev.cryo.server.observer;

import org.jspecify.annotations.NullMarked;
