/**
 * TEMP placeholder of the bundled plugins for the wire branch.
 */
@NullMarked
package dev.cryo.endpoint.plugin;

import org.jspecify.annotations.NullMarked;
