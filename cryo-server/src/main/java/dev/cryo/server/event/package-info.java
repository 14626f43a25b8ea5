/**
 * Spring application events of Cryo sessions, one family under
 * {@link dev.cryo.server.event.CryoSessionEvent}. They are published after the extension chain
 * allowed them, on the thread that handled the frame (the session's container thread, or the
 * heartbeat timer for statistics), so a slow listener slows its own session only. The group
 * events are the exception: they follow {@code join} and {@code leave} on the thread that
 * called them, and the end of a session on the thread that ended it.
 *
 * <p>May depend on the API ({@code dev.cryo.server}) and cryo-core only.
 */
@NullMarked
package dev.cryo.server.event;

import org.jspecify.annotations.NullMarked;
