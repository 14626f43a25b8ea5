/**
 * The JavaScript client ({@code cryo.mjs}, {@code cryo.d.ts}) served to browsers and other web
 * applications by the Cryo server.
 */
@NullMarked
package dev.cryo.boot.autoconfigure.clientscript;

import org.jspecify.annotations.NullMarked;
