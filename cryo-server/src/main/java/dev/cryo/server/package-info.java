/**
 * The API of the Cryo server, what applications use: {@link dev.cryo.server.CryoServer} (the bean
 * they inject), {@link dev.cryo.server.CryoSession} with its typed
 * {@link dev.cryo.server.CryoSessionAttribute attributes} and its groups
 * ({@link dev.cryo.server.CryoGroup} views, {@link dev.cryo.server.GroupLimits}),
 * {@link dev.cryo.server.SessionSelector} and {@link dev.cryo.server.BroadcastResult} for
 * multicasts that may span a cluster,
 * {@link dev.cryo.server.TokenValidator}, {@link dev.cryo.server.CryoServerSettings} and the
 * extension SPI ({@link dev.cryo.server.CryoExtension}, {@link dev.cryo.server.Box}).
 *
 * <p>Depends on {@code dev.cryo.core} only, never on its own sub-packages: the events,
 * observers, handlers and cluster SPIs depend on this package, {@code support} implements it
 * and {@code web} connects it to Spring WebSocket ({@code web → support → {event, observer,
 * handler, cluster} → this package → core}). The extension SPI lives here rather than in a
 * sub-package because {@code CryoServer} registers extensions and an extension is handed the
 * server: the two types refer to each other, so they share a package.
 */
@NullMarked
package dev.cryo.server;

import org.jspecify.annotations.NullMarked;
