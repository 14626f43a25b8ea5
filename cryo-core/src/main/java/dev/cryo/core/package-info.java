/**
 * Values every part of Cryo shares, whatever the dialect: the {@link dev.cryo.core.SessionId}.
 * Depends on the JDK only; every other package of cryo-core may depend on it.
 */
@NullMarked
package dev.cryo.core;

import org.jspecify.annotations.NullMarked;
